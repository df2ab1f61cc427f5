package dev.caravan.bench;

import dev.caravan.registry.Database;
import dev.caravan.registry.RunSearch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * For bench/registry.sh: seeds {@link RegistryBenchData} into a throwaway embedded PostgreSQL (or into
 * {@code CARAVAN_DB_URL}'s database), times {@link RunSearch}'s queries (per query the median of REPS calls after
 * warm-up) against the 50 ms target, and prints the executed plans of the best-version query and the search.
 * Not a test.
 */
public final class RegistryBench {
    private static final double TARGET_MS = 50;
    private static final int WARM_UP = 5;
    private static final String OR_FILTER = "(metrics.rmse < 0.3 OR params.learningRate = 0.001 OR tags.team = 'ml')"
            + " AND status = 'SUCCEEDED'";
    private static final List<String> BY_VAL_LOSS = List.of("metrics.val_loss ASC");

    private record Query(String name, Supplier<Object> call) {
    }

    private RegistryBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        int reps = Integer.parseInt(args[1]);
        Path home = Files.createTempDirectory("caravan-bench-registry");
        try (Database database = Database.open(System.getenv(), home)) {
            long started = System.nanoTime();
            RegistryBenchData.seed(database.dataSource(), runs);
            System.err.printf(Locale.ROOT, "seeded %,d runs and model versions in %.1f s (%s)%n", runs,
                    (System.nanoTime() - started) / 1e9, database.description());
            RunSearch search = new RunSearch(database.dataSource());
            String model = RegistryBenchData.MODEL;
            List<Query> queries = List.of(
                    new Query("best version by rmse (lower)", () -> search.bestVersion(model, "rmse", "lower")),
                    new Query("best version by accuracy (higher)",
                            () -> search.bestVersion(model, "accuracy", "higher")),
                    new Query("search: 3-way OR and status, by val_loss, 100",
                            () -> search.search(OR_FILTER, BY_VAL_LOSS, 100)),
                    new Query("aggregate: by learningRate, 3 aggregates", () -> search.aggregate(
                            "status = 'SUCCEEDED'", List.of("params.learningRate"),
                            List.of("count(*)", "min(metrics.val_loss)", "avg(metrics.accuracy)"))));
            System.out.printf("%n%-46s %10s %10s %8s%n", "query (" + runs + " runs, " + reps + " reps)", "median ms",
                    "target ms", "ratio");
            for (Query query : queries) {
                double median = medianMillis(query.call(), reps);
                System.out.printf(Locale.ROOT, "%-46s %10.2f %10.0f %7.3fx%n", query.name(), median, TARGET_MS,
                        median / TARGET_MS);
            }
            System.out.println("\n-- plan: best version by rmse\n" + search.explainBestVersion(model, "rmse", "lower"));
            System.out.println("\n-- plan: search " + OR_FILTER + " order by " + BY_VAL_LOSS + "\n"
                    + search.explainSearch(OR_FILTER, BY_VAL_LOSS, 100));
        } finally {
            deleteRecursively(home);
        }
    }

    private static double medianMillis(Supplier<Object> call, int reps) {
        for (int i = 0; i < WARM_UP; i++) {
            call.get();
        }
        double[] millis = new double[reps];
        for (int i = 0; i < reps; i++) {
            long started = System.nanoTime();
            call.get();
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
