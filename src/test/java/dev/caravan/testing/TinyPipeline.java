package dev.caravan.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** A pipeline spec on a small regression CSV that runs every stage in a few seconds. */
public final class TinyPipeline {
    private TinyPipeline() {}

    /** Writes {@code <name>.csv} and {@code <name>.yaml} into {@code dir}; extra lines are appended to the spec. */
    public static Path write(Path dir, String name, String... extraLines) {
        SplittableRandom random = new SplittableRandom(7);
        List<String> rows = new ArrayList<>(List.of("a,b,y"));
        for (int i = 0; i < 300; i++) {
            double a = random.nextDouble(-2, 2);
            double b = random.nextDouble(-2, 2);
            rows.add(String.format(Locale.ROOT, "%.4f,%.4f,%.4f", a, b, 3 * a - 2 * b + random.nextDouble(-0.1, 0.1)));
        }
        Csv.write(dir, name + ".csv", rows.toArray(String[]::new));
        List<String> spec = new ArrayList<>(List.of(
                "name: " + name,
                "data:",
                "  path: " + name + ".csv",
                "target: y",
                "training:",
                "  maxEpochs: 5",
                "  patience: 5",
                "  candidates:",
                "    hidden: [[8]]",
                "    batchSize: [32]",
                "    learningRate: [0.01]"));
        spec.addAll(List.of(extraLines));
        try {
            return Files.write(dir.resolve(name + ".yaml"), spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
