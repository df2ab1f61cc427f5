package dev.caravan.testing;

import dev.caravan.data.Sha256;
import dev.caravan.registry.Artifact;
import dev.caravan.registry.Products;
import dev.caravan.registry.Products.Blessing;
import dev.caravan.registry.Registry;
import dev.caravan.registry.StageOutcome;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Records runs that register model versions the way the pipeline's stages do (ingest, transform, select, bless,
 * export, quantize, deploy), through the run store, for registry and CLI tests.
 */
public final class ModelRuns {
    public static final String DATASET_SOURCE = "/data/churn.csv";
    public static final String DATASET_SHA256 = sha256("churn.csv");

    private final Registry registry;

    public ModelRuns(Registry registry) {
        this.registry = registry;
    }

    /** A registered version and the run that made it. */
    public record Registered(UUID runId, int version) {}

    /**
     * Runs every stage for a version of {@code model} scoring {@code r2}; the bless stage records {@code blessing}
     * when there is one, and the deploy stage builds {@code image} when there is one. Each artifact's sha256 is
     * {@link #sha256} of its path.
     */
    public Registered register(String model, double r2, Blessing blessing, String image) {
        UUID run = UUID.randomUUID();
        registry.runs().start(run, model, "test", "{}", "/runs/" + run, Map.of());
        stage(
                run,
                "ingest",
                List.of(),
                Products.NONE.withDataset(
                        new Products.Dataset(DATASET_SOURCE, DATASET_SHA256, 4096, 100, 5, "[]", "[]")));
        stage(run, "transform", List.of(artifact(run, "transform", "transform.json")), Products.NONE);
        int version = stage(
                run,
                "select",
                List.of(artifact(run, "model", "model.params")),
                Products.NONE.withModelVersion(new Products.Version(
                        model,
                        0,
                        DATASET_SHA256,
                        String.format(Locale.ROOT, "{\"r2\": %s}", r2),
                        "{\"r2\": 0}",
                        "{\"hiddenLayers\": [16]}",
                        7,
                        10,
                        "patience exhausted",
                        "cpu")));
        if (blessing != null) {
            stage(run, "bless", List.of(), Products.NONE.withBlessing(blessing));
        }
        stage(run, "export", List.of(artifact(run, "onnx-fp32", "model.onnx")), Products.NONE);
        stage(
                run,
                "quantize",
                List.of(artifact(run, "onnx-int8", "model.int8.onnx")),
                Products.NONE.withExport(new Products.Export(
                        "{\"r2\": 0.9}",
                        "{\"r2\": 0.899}",
                        "int8",
                        "int8 loses 0.1% r2 (at most 1% allowed) and is 2.1x faster")));
        if (image != null) {
            stage(
                    run,
                    "deploy",
                    List.of(),
                    Products.NONE.withDeployment(new Products.Deployment(
                            "tar",
                            image,
                            "sha256:" + sha256(image),
                            "sha256:" + sha256("id " + image),
                            "/runs/" + run + "/image.tar",
                            "DEPLOYED")));
        }
        registry.runs().finish(run);
        return new Registered(run, version);
    }

    /** The gate's decision to bless a version scoring {@code r2} against a champion (or none, both null). */
    public static Blessing blessed(double r2, Integer championVersion, Double championValue, String alias) {
        return decision(true, r2, championVersion, championValue, alias);
    }

    /** The gate's decision against a version scoring {@code r2}, worse than the champion's. */
    public static Blessing rejected(double r2, int championVersion, double championValue) {
        return decision(false, r2, championVersion, championValue, "champion");
    }

    private static Blessing decision(
            boolean blessed, double r2, Integer championVersion, Double championValue, String alias) {
        if (championValue == null) {
            return new Blessing(
                    blessed, "r2", "higher", r2, null, null, null, null, "no champion to compare with", alias);
        }
        double change = r2 - championValue;
        String reason = String.format(
                Locale.ROOT,
                "r2 %.4f against champion %d's %.4f: %+.4f, %s",
                r2,
                championVersion,
                championValue,
                change,
                blessed ? "at least +0.0000 needed" : "below +0.0000 needed");
        return new Blessing(
                blessed,
                "r2",
                "higher",
                r2,
                championVersion,
                championValue,
                change,
                change / championValue,
                reason,
                alias);
    }

    public static String sha256(String text) {
        return Sha256.hex(text);
    }

    private static Artifact artifact(UUID run, String kind, String file) {
        String path = "/runs/" + run + "/" + file;
        return new Artifact(kind, path, sha256(path), path.length());
    }

    private Integer stage(UUID run, String name, List<Artifact> artifacts, Products products) {
        long stage = registry.stages().start(run, name, null);
        return registry.stages().finish(run, new StageOutcome(stage, 100L, 100L, "{}", artifacts, products));
    }
}
