package dev.caravan.bench;

import dev.caravan.registry.Database;
import dev.caravan.registry.ModelQueries;
import dev.caravan.registry.Registry;
import dev.caravan.registry.RunQueries;
import dev.caravan.server.CaravanServer;
import dev.caravan.spec.PipelineCatalog;
import dev.caravan.testing.TinyPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * For bench/registry.sh: seeds {@link RegistryBenchData} into a throwaway embedded PostgreSQL (or into
 * {@code CARAVAN_DB_URL}'s database), times the registry's queries (per query the median of REPS calls after
 * warm-up) against the 50 ms target, and prints the executed plans of the best-version query and the search.
 * Not a test.
 */
public final class RegistryBench {
    private static final double TARGET_MS = 50;
    /** Per query, calls for this long first (and at least 5 times): the HTTP path needs hundreds to be compiled. */
    private static final long WARM_UP_NANOS = 3_000_000_000L;

    private static final String OR_FILTER =
            "(metrics.rmse < 0.3 OR params.learningRate = 0.001 OR tags.team = 'ml')" + " AND status = 'SUCCEEDED'";
    private static final List<String> BY_VAL_LOSS = List.of("metrics.val_loss ASC");
    /** A selective search (about 2% of the runs match), as most searches are. */
    private static final String SELECTIVE_FILTER =
            "(metrics.rmse < 0.21 OR metrics.accuracy > 0.995)" + " AND status = 'SUCCEEDED'";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private record Query(String name, Runnable call) {}

    private RegistryBench() {}

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        int reps = Integer.parseInt(args[1]);
        Path home = Files.createTempDirectory("caravan-bench-registry");
        try (Database database = Database.open(System.getenv(), home, Duration.ofSeconds(60))) {
            long started = System.nanoTime();
            RegistryBenchData.seed(database.dataSource(), runs);
            System.err.printf(
                    Locale.ROOT,
                    "seeded %,d runs and model versions in %.1f s (%s)%n",
                    runs,
                    (System.nanoTime() - started) / 1e9,
                    database.description());
            Registry registry = database.registry();
            RunQueries search = registry.runQueries();
            ModelQueries models = registry.models();
            String model = RegistryBenchData.MODEL;
            PipelineCatalog catalog = PipelineCatalog.load(List.of(TinyPipeline.write(home, "bench-api")), null);
            try (CaravanServer server = CaravanServer.start(
                    catalog,
                    database,
                    new CaravanServer.Settings(
                            "127.0.0.1",
                            0,
                            null,
                            home.resolve("runs"),
                            Duration.ofSeconds(60),
                            Duration.ZERO,
                            Duration.ofSeconds(5)))) {
                List<Query> queries = List.of(
                        new Query(
                                "API: GET best version by rmse",
                                () -> get(server, "/models/" + model + "/best?metric=rmse&direction=lower")),
                        new Query(
                                "API: GET search, 3-way OR and status, by val_loss",
                                () -> get(
                                        server,
                                        "/runs?limit=100&filter=" + encode(OR_FILTER) + "&order_by="
                                                + encode(BY_VAL_LOSS.get(0)))),
                        new Query(
                                "API: GET selective search (~2% match), by rmse",
                                () -> get(
                                        server,
                                        "/runs?limit=100&filter=" + encode(SELECTIVE_FILTER) + "&order_by="
                                                + encode("metrics.rmse ASC"))),
                        new Query(
                                "in-process: best version by rmse (lower)",
                                () -> models.bestVersion(model, "rmse", "lower")),
                        new Query(
                                "in-process: best version by accuracy (higher)",
                                () -> models.bestVersion(model, "accuracy", "higher")),
                        new Query(
                                "in-process: search, 3-way OR and status",
                                () -> search.search(OR_FILTER, BY_VAL_LOSS, 100, 0)),
                        new Query(
                                "in-process: aggregate by learningRate, 3 aggs",
                                () -> search.aggregate(
                                        "status = 'SUCCEEDED'",
                                        List.of("params.learningRate"),
                                        List.of("count(*)", "min(metrics.val_loss)", "avg(metrics.accuracy)"))));
                printTimes(queries, runs, reps);
            }
            System.out.println("\n-- plan: best version by rmse\n" + models.explainBestVersion(model, "rmse", "lower"));
            System.out.println("\n-- plan: search " + OR_FILTER + " order by " + BY_VAL_LOSS + "\n"
                    + search.explainSearch(OR_FILTER, BY_VAL_LOSS, 100));
        } finally {
            deleteRecursively(home);
        }
    }

    private static void printTimes(List<Query> queries, int runs, int reps) {
        System.out.printf(
                "%n%-52s %10s %10s %8s%n",
                "query (" + runs + " runs, " + reps + " reps)", "median ms", "target ms", "ratio");
        for (Query query : queries) {
            double median = medianMillis(query.call(), reps);
            System.out.printf(
                    Locale.ROOT, "%-52s %10.2f %10.0f %7.3fx%n", query.name(), median, TARGET_MS, median / TARGET_MS);
        }
    }

    /** One GET of the API; a status other than 200 ends the bench, naming the answer. */
    private static String get(CaravanServer server, String path) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static double medianMillis(Runnable call, int reps) {
        long warmUntil = System.nanoTime() + WARM_UP_NANOS;
        for (int i = 0; i < 5 || System.nanoTime() < warmUntil; i++) {
            call.run();
        }
        double[] millis = new double[reps];
        for (int i = 0; i < reps; i++) {
            long started = System.nanoTime();
            call.run();
            millis[i] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(millis);
        return millis[reps / 2];
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
