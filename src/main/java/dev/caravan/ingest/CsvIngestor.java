package dev.caravan.ingest;

import dev.caravan.data.BadCell;
import dev.caravan.data.CaravanException;
import dev.caravan.data.Column;
import dev.caravan.data.ColumnType;
import dev.caravan.data.DatasetProfile;
import dev.caravan.data.Sha256;
import dev.caravan.data.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a CSV file with a header into a {@link Table}. Column types come from the first {@code inferRows} rows
 * unless configured; the whole file then streams through once, parsed straight into typed arrays and hashed with
 * SHA-256 on the way, so memory follows the parsed columns, not the file's text.
 *
 * <pre>{@code
 * IngestResult result = CsvIngestor.builder().setFile(path).optDelimiter(';').build().ingest();
 * }</pre>
 */
public final class CsvIngestor {
    private static final Logger LOG = LoggerFactory.getLogger(CsvIngestor.class);
    private static final long PROGRESS_INTERVAL_NANOS = 5_000_000_000L;

    private final Path file;
    private final char delimiter;
    private final int inferRows;
    private final Map<String, ColumnType> columnTypes;
    private final Set<String> missingValues;

    private CsvIngestor(Builder builder) {
        this.file = builder.file;
        this.delimiter = builder.delimiter;
        this.inferRows = builder.inferRows;
        this.columnTypes = Map.copyOf(builder.columnTypes);
        this.missingValues = Set.copyOf(builder.missingValues);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads and profiles the file; bad input fails as bad data naming the file and line. */
    public IngestResult ingest() {
        checkReadable();
        try {
            Header header = readHeaderAndSample();
            List<ColumnType> types = resolveTypes(header);
            return readAll(header.names(), types);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void checkReadable() {
        if (!Files.exists(file)) {
            throw CaravanException.badData("data file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw CaravanException.badData("data file " + file + " is not a readable file");
        }
    }

    private record Header(List<String> names, List<List<String>> sampleColumns) {}

    /** First pass over the head of the file only: the column names and a sample of cells per column. */
    private Header readHeaderAndSample() throws IOException {
        try (CsvScanner scanner = open(discardingDigest())) {
            if (!scanner.next()) {
                throw CaravanException.badData("data file " + file + " is empty");
            }
            List<String> names = headerNames(scanner);
            List<List<String>> sample = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                sample.add(new ArrayList<>());
            }
            for (int row = 0; row < inferRows && scanner.next(); row++) {
                checkFieldCount(scanner, names.size());
                for (int i = 0; i < names.size(); i++) {
                    sample.get(i).add(scanner.text(i));
                }
            }
            if (sample.get(0).isEmpty()) {
                throw CaravanException.badData("data file " + file + " has a header line but no data rows");
            }
            return new Header(names, sample);
        }
    }

    private List<String> headerNames(CsvScanner scanner) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < scanner.fieldCount(); i++) {
            String name = scanner.text(i).trim();
            if (name.isEmpty()) {
                throw CaravanException.badData(file + " line 1: column " + (i + 1) + " has no name in the header");
            }
            Integer earlier = seen.putIfAbsent(name, i);
            if (earlier != null) {
                throw CaravanException.badData(file + " line 1: column name '" + name + "' appears twice (columns "
                        + (earlier + 1) + " and " + (i + 1) + ")");
            }
            names.add(name);
        }
        return names;
    }

    private List<ColumnType> resolveTypes(Header header) {
        for (String configured : columnTypes.keySet()) {
            if (!header.names().contains(configured)) {
                throw CaravanException.badData("a column type is configured for '" + configured + "', which is not in "
                        + file.getFileName() + " (columns: " + String.join(", ", header.names()) + ")");
            }
        }
        List<ColumnType> types = new ArrayList<>();
        for (int i = 0; i < header.names().size(); i++) {
            ColumnType configured = columnTypes.get(header.names().get(i));
            types.add(
                    configured != null
                            ? configured
                            : TypeInference.infer(header.sampleColumns().get(i), missingValues));
        }
        return types;
    }

    /** Second pass: the whole file into typed columns, hashing every byte. */
    private IngestResult readAll(List<String> names, List<ColumnType> types) throws IOException {
        MessageDigest digest = Sha256.digest();
        List<ColumnBuilder> builders = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            builders.add(ColumnBuilder.of(types.get(i), names.get(i), i, missingValues));
        }
        Map<Integer, List<BadCell>> badCells = new LinkedHashMap<>();
        ColumnBuilder.BadCellSink sink = (row, cell) ->
                badCells.computeIfAbsent(row, r -> new ArrayList<>()).add(cell);
        long[] lines = new long[1024];
        int rows = 0;
        long bytes;
        try (CsvScanner scanner = open(digest)) {
            scanner.next(); // the header
            long lastReport = System.nanoTime();
            while (scanner.next()) {
                checkFieldCount(scanner, names.size());
                if (rows == lines.length) {
                    lines = Arrays.copyOf(lines, rows * 2);
                }
                lines[rows] = scanner.line();
                for (ColumnBuilder builder : builders) {
                    builder.add(scanner, rows, sink);
                }
                rows++;
                if ((rows & 0xFFFF) == 0 && System.nanoTime() - lastReport > PROGRESS_INTERVAL_NANOS) {
                    lastReport = System.nanoTime();
                    LOG.info(
                            "ingest: {} rows, {} MB read from {}", rows, scanner.bytesRead() >> 20, file.getFileName());
                }
            }
            bytes = scanner.bytesRead();
        }
        List<Column> columns = new ArrayList<>();
        for (ColumnBuilder builder : builders) {
            columns.add(builder.build(rows));
        }
        Table table = new Table(file.toString(), columns, Arrays.copyOf(lines, rows), badCells);
        String sha256 = Sha256.hex(digest);
        DatasetProfile profile = Profiler.profile(table, file.toString(), sha256, bytes);
        return new IngestResult(table, profile);
    }

    private void checkFieldCount(CsvScanner scanner, int expected) {
        if (scanner.fieldCount() != expected) {
            throw CaravanException.badData(file + " line " + scanner.line() + ": " + scanner.fieldCount()
                    + " fields, but the header has " + expected);
        }
    }

    private CsvScanner open(MessageDigest digest) throws IOException {
        return new CsvScanner(Files.newInputStream(file), digest, delimiter, file.toString());
    }

    /** The sample pass hashes nothing: the digest of a prefix is of no use. */
    private static MessageDigest discardingDigest() {
        return new MessageDigest("none") {
            @Override
            protected void engineUpdate(byte input) {}

            @Override
            protected void engineUpdate(byte[] input, int offset, int len) {}

            @Override
            protected byte[] engineDigest() {
                return new byte[0];
            }

            @Override
            protected void engineReset() {}
        };
    }

    /** Builds a {@link CsvIngestor}: {@code setFile} is required, the rest optional. */
    public static final class Builder {
        private Path file;
        private char delimiter = ',';
        private int inferRows = 10_000;
        private Map<String, ColumnType> columnTypes = Map.of();
        private Set<String> missingValues = Set.of("", "NA", "N/A", "null", "NULL");

        private Builder() {}

        public Builder setFile(Path file) {
            this.file = file;
            return this;
        }

        public Builder optDelimiter(char delimiter) {
            this.delimiter = delimiter;
            return this;
        }

        /** How many rows the type inference looks at (default 10,000). */
        public Builder optInferRows(int inferRows) {
            this.inferRows = inferRows;
            return this;
        }

        /** Types that replace the inferred ones, by column name. */
        public Builder optColumnTypes(Map<String, ColumnType> columnTypes) {
            this.columnTypes = columnTypes;
            return this;
        }

        /** The cell texts that mean "missing" (default: empty, NA, N/A, null, NULL). */
        public Builder optMissingValues(Set<String> missingValues) {
            this.missingValues = missingValues;
            return this;
        }

        public CsvIngestor build() {
            if (file == null) {
                throw new IllegalArgumentException("CsvIngestor needs a file (setFile)");
            }
            if (inferRows < 1) {
                throw new IllegalArgumentException("inferRows must be at least 1, got " + inferRows);
            }
            return new CsvIngestor(this);
        }
    }
}
