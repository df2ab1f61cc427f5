package dev.caravan.bench;

import dev.caravan.clean.CleanResult;
import dev.caravan.clean.Cleaner;
import dev.caravan.clean.CleaningPolicy;
import dev.caravan.clean.MissingStrategy;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.Split;
import dev.caravan.ingest.CsvIngestor;
import dev.caravan.ingest.IngestResult;
import dev.caravan.split.Splitter;
import dev.caravan.transform.TransformFitter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One timed pass of ingest + clean (drop policy) + split + min-max transform over a CSV, in a fresh JVM, for
 * bench/preprocess.sh. Prints one line: {@code seconds rows_out peak_rss_kb}. Not a test.
 */
public final class PreprocessBench {
    private PreprocessBench() {}

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args[0]);
        String target = args[1];
        Path quarantine = Files.createTempFile("bench-quarantine", ".csv");
        long started = System.nanoTime();
        IngestResult ingested = CsvIngestor.builder().setFile(csv).build().ingest();
        CleanResult cleaned = new Cleaner(CleaningPolicy.builder()
                        .setTarget(target)
                        .optMissing(MissingStrategy.DROP)
                        .build())
                .clean(ingested.table(), quarantine);
        Split split = Splitter.builder().build().split(cleaned.table().column(target), false);
        EncodedSplits encoded = TransformFitter.builder()
                .setTarget(target)
                .setClassification(false)
                .build()
                .fitAndEncode(cleaned.table(), split);
        double seconds = (System.nanoTime() - started) / 1e9;
        int rows = encoded.train().rows()
                + encoded.validation().rows()
                + encoded.test().rows();
        System.out.printf(Locale.ROOT, "%.4f %d %d%n", seconds, rows, peakRssKb());
        Files.deleteIfExists(quarantine);
    }

    /** The process's peak resident set size (VmHWM), as the kernel counts it. */
    static long peakRssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
