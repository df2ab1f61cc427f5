package dev.caravan.pipeline;

import dev.caravan.data.CaravanException;
import dev.caravan.data.DeployableModel;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.Sha256;
import dev.caravan.data.Table;
import dev.caravan.deploy.BuiltImage;
import dev.caravan.deploy.DeployTarget;
import dev.caravan.deploy.ImageBuilder;
import dev.caravan.deploy.ServingClasspath;
import dev.caravan.evaluate.BlessingGate;
import dev.caravan.pipeline.PipelineStages.Quantized;
import dev.caravan.registry.Artifact;
import dev.caravan.registry.Products;
import dev.caravan.serve.ServedModel;
import dev.caravan.serve.ServingRuntime;
import dev.caravan.spec.PipelineSpec;
import dev.caravan.train.Scores;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The stages that release a version: bless scores the current champion (its deployed ONNX file, with the
 * transform inside it) on this run's test split and compares it with the new version's deployable export on the
 * same rows; a blessed version takes the alias (by default {@code champion}) when the stage is recorded. Deploy
 * builds an image of the model server holding the chosen ONNX file, for blessed versions only.
 */
final class ReleaseStages {
    private ReleaseStages() {}

    static StageResult<Void> bless(RunState state) {
        PipelineSpec.Blessing settings = state.spec().blessing;
        Quantized deployable = state.output(PipelineStages.QUANTIZE);
        boolean classification =
                state.output(PipelineStages.TRANSFORM).encoded().transform().isClassification();
        String metric = state.factory().blessingMetric(classification);
        Double candidate = deployable.metrics().get(metric);
        if (candidate == null) {
            throw CaravanException.badSetting("blessing.metric '" + metric + "' is not a test metric of this "
                    + (classification ? "classification" : "regression") + " model (have: "
                    + String.join(", ", deployable.metrics().keySet()) + ")");
        }
        BlessingGate.Direction direction = state.factory().blessingDirection(metric);
        BlessingGate gate = new BlessingGate(metric, direction, settings.minAbsoluteChange, settings.minRelativeChange);
        Optional<DeployableModel> champion =
                state.registry().versions().deployable(state.spec().modelName(), null, settings.alias);
        Integer championVersion = champion.map(DeployableModel::version).orElse(null);
        Double championValue = null;
        BlessingGate.Decision decision;
        if (!settings.enabled) {
            decision =
                    new BlessingGate.Decision(true, null, null, "blessed: the gate is off (blessing.enabled: false)");
        } else if (champion.isEmpty()) {
            decision = gate.withoutChampion(candidate);
        } else {
            try {
                championValue = championScore(state, champion.get(), metric);
                decision = gate.decide(candidate, championVersion, championValue);
            } catch (RuntimeException e) {
                decision = new BlessingGate.Decision(
                        false,
                        null,
                        null,
                        "not blessed: champion v" + championVersion
                                + " cannot be scored on this run's test split (" + CaravanException.oneLine(e)
                                + "); promote with --force to override");
            }
        }
        Products.Blessing blessing = new Products.Blessing(
                decision.blessed(),
                metric,
                direction.id(),
                candidate,
                championVersion,
                championValue,
                decision.absoluteChange(),
                decision.relativeChange(),
                decision.reason(),
                settings.alias);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("blessed", decision.blessed());
        metrics.put("metric", metric);
        metrics.put("candidate", candidate);
        metrics.put("championVersion", championVersion);
        metrics.put("champion", championValue);
        metrics.put("reason", decision.reason());
        long rows = state.output(PipelineStages.SPLIT).test().length;
        return StageResult.recorded(rows, rows, metrics, List.of()).with(Products.NONE.withBlessing(blessing));
    }

    /** The champion's test metric on this run's test rows, encoded (features and target) by its own transform. */
    private static double championScore(RunState state, DeployableModel champion, String metric) {
        Table table = state.output(PipelineStages.CLEAN).table();
        int[] rows = state.output(PipelineStages.SPLIT).test();
        try (ServedModel model = ServedModel.load(champion)) {
            FittedTransform transform = model.transform();
            float[] outputs = model.predict(transform.encodeUnnormalized(table, rows), rows.length);
            Double score = Scores.test(transform, outputs, Scores.Outputs.SERVED, transform.encodeTargets(table, rows))
                    .get(metric);
            if (score == null) {
                throw new IllegalStateException("the champion has no " + metric + " (a model of another task?)");
            }
            return score;
        }
    }

    static StageResult<Void> deploy(RunState state) {
        PipelineSpec spec = state.spec();
        DeployTarget target = spec.deploy.target;
        String targetName = target.id();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("target", targetName);
        if (!state.registry().versions().blessed(state.runId())) {
            metrics.put("reason", "version " + state.modelVersion() + " was not blessed (see the bless stage)");
            return StageResult.recorded(null, null, metrics, List.of());
        }
        if (target == DeployTarget.NONE) {
            metrics.put("reason", "deploy.target is none");
            return StageResult.recorded(null, null, metrics, List.of());
        }
        Path model = Path.of(state.output(PipelineStages.QUANTIZE).deployableModel());
        String image = spec.deploy
                .image
                .replace("{model}", spec.modelName())
                .replace("{version}", String.valueOf(state.modelVersion()))
                .toLowerCase(Locale.ROOT);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("dev.caravan.model.name", spec.modelName());
        labels.put("dev.caravan.model.version", String.valueOf(state.modelVersion()));
        labels.put("dev.caravan.run_id", state.runId().toString());
        labels.put("dev.caravan.model.sha256", Sha256.hex(model));
        labels.put("org.opencontainers.image.title", "caravan model server: " + spec.modelName());
        BuiltImage built = ImageBuilder.builder()
                .setServer(
                        ServingRuntime.MAIN_CLASS,
                        new ServingClasspath(ServingRuntime.PACKAGES, ServingRuntime.jarPrefixes()))
                .setBaseImage(spec.deploy.baseImage)
                .setImage(image)
                .setTarget(target)
                .setModelFile(model)
                .setWorkDir(state.artifactDir().resolve("image"))
                .optPort(spec.deploy.port)
                .optLabels(labels)
                .optAllowInsecureRegistries(spec.deploy.insecureRegistry)
                .build()
                .build();
        metrics.put("image", built.reference());
        metrics.put("digest", built.digest());
        List<Artifact> artifacts = built.tarFile() == null
                ? List.of()
                : List.of(ArtifactFiles.describe("image", Path.of(built.tarFile())));
        Products.Deployment deployment = new Products.Deployment(
                targetName, built.reference(), built.digest(), built.imageId(), built.tarFile(), "DEPLOYED");
        return StageResult.recorded(null, null, metrics, artifacts).with(Products.NONE.withDeployment(deployment));
    }
}
