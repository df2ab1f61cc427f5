package dev.caravan.cli;

import dev.caravan.testing.Csv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** A small regression pipeline (300 rows, y = 3a - 2b + 5 or - 4 by kind) that trains in about a second. */
final class LinearPipeline {
    private LinearPipeline() {}

    static Path data(Path dir) {
        SplittableRandom random = new SplittableRandom(3);
        List<String> lines = new ArrayList<>(List.of("a,b,kind,y"));
        for (int i = 0; i < 300; i++) {
            double a = random.nextDouble(-2, 2);
            double b = random.nextDouble(-2, 2);
            boolean up = random.nextBoolean();
            double y = 3 * a - 2 * b + (up ? 5 : -4) + random.nextDouble(-0.1, 0.1);
            lines.add(String.format(Locale.ROOT, "%.4f,%.4f,%s,%.4f", a, b, up ? "up" : "down", y));
        }
        return Csv.write(dir, "linear.csv", lines.toArray(String[]::new));
    }

    /** Writes {@code dir/spec.yaml}: pipeline "linear", model "linear-model", then the given lines. */
    static Path spec(Path dir, String... extraLines) {
        List<String> lines = new ArrayList<>(List.of(
                "name: linear", "data:", "  path: " + data(dir), "target: y", "model:", "  name: linear-model"));
        lines.addAll(List.of(extraLines));
        Path spec = dir.resolve("spec.yaml");
        try {
            Files.write(spec, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return spec;
    }

    /** The spec with short training (at most 40 epochs, patience 5) before the given lines. */
    static Path quickSpec(Path dir, String... extraLines) {
        List<String> lines = new ArrayList<>(List.of("training:", "  maxEpochs: 40", "  patience: 5"));
        lines.addAll(List.of(extraLines));
        return spec(dir, lines.toArray(String[]::new));
    }
}
