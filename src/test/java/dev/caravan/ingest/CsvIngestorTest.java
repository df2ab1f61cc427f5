package dev.caravan.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.caravan.data.BadCell;
import dev.caravan.data.CaravanException;
import dev.caravan.data.CategoricalColumn;
import dev.caravan.data.ColumnProfile;
import dev.caravan.data.ColumnType;
import dev.caravan.data.NumericColumn;
import dev.caravan.data.Table;
import dev.caravan.testing.Csv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvIngestorTest {
    @TempDir
    Path dir;

    private static IngestResult ingest(Path file) {
        return CsvIngestor.builder().setFile(file).build().ingest();
    }

    @Test
    void infersEachColumnTypeAndStoresValues() {
        Path file = Csv.write(
                dir,
                "mixed.csv",
                "price,home,day,owner",
                "1.5,rent,2020-01-02,yes",
                "-2,own,2020-01-03,no",
                ",rent,,YES");
        Table table = ingest(file).table();

        assertThat(table.columns())
                .extracting(c -> c.type())
                .containsExactly(ColumnType.NUMERIC, ColumnType.CATEGORICAL, ColumnType.DATE, ColumnType.BOOLEAN);
        NumericColumn price = (NumericColumn) table.column("price");
        assertThat(price.values()).containsExactly(1.5, -2.0, Double.NaN);
        CategoricalColumn home = (CategoricalColumn) table.column("home");
        assertThat(home.render(0)).isEqualTo("rent");
        assertThat(home.codes()[0]).isEqualTo(home.codes()[2]);
        assertThat(((NumericColumn) table.column("day")).get(1))
                .isEqualTo(LocalDate.of(2020, 1, 3).toEpochDay());
        assertThat(table.column("day").isMissing(2)).isTrue();
        assertThat(((NumericColumn) table.column("owner")).values()).containsExactly(1.0, 0.0, 1.0);
        assertThat(table.lineNumbers()).containsExactly(2, 3, 4);
    }

    @Test
    void readsQuotedFieldsWithDelimitersQuotesAndLineBreaks() {
        Path file = Csv.write(
                dir,
                "quoted.csv",
                "id,text",
                "1,\"a, b\"",
                "2,\"she said \"\"hi\"\"\"",
                "3,\"two",
                "lines\"",
                "4,plain");
        Table table = ingest(file).table();

        assertThat(table.rowCount()).isEqualTo(4);
        assertThat(table.column("text").render(0)).isEqualTo("a, b");
        assertThat(table.column("text").render(1)).isEqualTo("she said \"hi\"");
        assertThat(table.column("text").render(2)).isEqualTo("two\nlines");
        assertThat(table.lineNumbers()).containsExactly(2, 3, 4, 6);
    }

    @Test
    void handlesBomCrlfAndAConfiguredDelimiter() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "a;b\r\n1;x\r\n2;y\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, content, 0, bom.length);
        System.arraycopy(body, 0, content, bom.length, body.length);
        Path file = Csv.writeBytes(dir, "bom.csv", content);

        Table table = CsvIngestor.builder()
                .setFile(file)
                .optDelimiter(';')
                .build()
                .ingest()
                .table();

        assertThat(table.columnNames()).containsExactly("a", "b");
        assertThat(((NumericColumn) table.column("a")).values()).containsExactly(1.0, 2.0);
        assertThat(table.column("b").render(1)).isEqualTo("y");
    }

    @Test
    void keepsUnicodeText() {
        Path file = Csv.write(dir, "unicode.csv", "city,n", "Zürich,1", "東京,2");
        assertThat(ingest(file).table().column("city").render(1)).isEqualTo("東京");
    }

    @Test
    void profilesColumnsAndHashesTheWholeFile() throws Exception {
        Path file = Csv.write(dir, "stats.csv", "x,c", "1,a", "2,b", "3,a", "4,a", ",");
        IngestResult result = ingest(file);

        String expected =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertThat(result.profile().sha256()).isEqualTo(expected);
        assertThat(result.profile().rows()).isEqualTo(5);
        ColumnProfile x = result.profile().columns().get(0);
        assertThat(x.min()).isEqualTo(1.0);
        assertThat(x.max()).isEqualTo(4.0);
        assertThat(x.mean()).isEqualTo(2.5);
        assertThat(x.std()).isCloseTo(Math.sqrt(5.0 / 3), within(1e-12));
        assertThat(x.missing()).isEqualTo(1);
        assertThat(x.distinct()).isEqualTo(4);
        ColumnProfile c = result.profile().columns().get(1);
        assertThat(c.missing()).isEqualTo(1);
        assertThat(c.distinct()).isEqualTo(2);
        assertThat(c.topValues().get(0)).isEqualTo(new ColumnProfile.ValueCount("a", 3));
    }

    @Test
    void streamsRecordsAcrossBufferBoundaries() throws Exception {
        StringBuilder csv = new StringBuilder("n,text\n");
        int rows = 60_000; // about 2.5 MB: several refills of the 1 MB buffer
        for (int i = 0; i < rows; i++) {
            csv.append(i).append(",\"row ").append(i).append(" has a, comma and \"\"quotes\"\"\"\n");
        }
        Path file = Csv.writeBytes(dir, "big.csv", csv.toString().getBytes(StandardCharsets.UTF_8));

        Table table = ingest(file).table();

        assertThat(table.rowCount()).isEqualTo(rows);
        NumericColumn n = (NumericColumn) table.column("n");
        for (int i = 0; i < rows; i++) {
            assertThat(n.get(i)).isEqualTo(i);
        }
        assertThat(table.column("text").render(rows - 1))
                .isEqualTo("row " + (rows - 1) + " has a, comma and \"quotes\"");
    }

    @Test
    void recordsUnparseableAndNonFiniteCellsAsBadCells() {
        Path file = Csv.write(dir, "dirty.csv", "x,y", "1,2", "abc,3", "NaN,4", "5,-Infinity", "NA,6");
        Table table = ingest(file).table();

        assertThat(table.column("x").type()).isEqualTo(ColumnType.NUMERIC);
        assertThat(table.badCells()).containsOnlyKeys(1, 2, 3);
        assertThat(table.badCells().get(1)).containsExactly(new BadCell(0, "abc", BadCell.Kind.UNPARSEABLE));
        assertThat(table.badCells().get(2).get(0).kind()).isEqualTo(BadCell.Kind.NON_FINITE);
        assertThat(table.badCells().get(3).get(0)).isEqualTo(new BadCell(1, "-Infinity", BadCell.Kind.NON_FINITE));
        assertThat(table.column("x").isMissing(4)).isTrue(); // NA means missing, not bad
    }

    @Test
    void configuredTypesReplaceInferredOnes() {
        Path file = Csv.write(dir, "zip.csv", "zip,y", "10115,1", "20095,2");
        Table table = CsvIngestor.builder()
                .setFile(file)
                .optColumnTypes(Map.of("zip", ColumnType.CATEGORICAL))
                .build()
                .ingest()
                .table();
        assertThat(table.column("zip").type()).isEqualTo(ColumnType.CATEGORICAL);
        assertThat(table.column("zip").render(0)).isEqualTo("10115");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> ingest(dir.resolve("nope.csv")))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("nope.csv")
                .hasMessageContaining("does not exist");
    }

    @Test
    void anEmptyFileIsNamed() {
        Path file = Csv.writeBytes(dir, "empty.csv", new byte[0]);
        assertThatThrownBy(() -> ingest(file))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("empty.csv is empty");
    }

    @Test
    void aHeaderOnlyFileIsNamed() {
        Path file = Csv.write(dir, "header.csv", "a,b");
        assertThatThrownBy(() -> ingest(file))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("header.csv has a header line but no data rows");
    }

    @Test
    void aRaggedRowNamesItsLine() {
        Path file = Csv.write(dir, "ragged.csv", "a,b,c", "1,2,3", "4,5", "6,7,8");
        assertThatThrownBy(() -> ingest(file))
                .isInstanceOf(CaravanException.class)
                .hasMessage(file + " line 3: 2 fields, but the header has 3");
    }

    @Test
    void aRaggedRowPastTheTypeSampleNamesItsLine() {
        Path file = Csv.write(dir, "ragged-late.csv", "a,b", "1,2", "3,4", "5");
        assertThatThrownBy(() -> CsvIngestor.builder()
                        .setFile(file)
                        .optInferRows(1)
                        .build()
                        .ingest())
                .isInstanceOf(CaravanException.class)
                .hasMessage(file + " line 4: 1 fields, but the header has 2");
    }

    @Test
    void invalidUtf8NamesItsLineAndField() {
        byte[] content = "name,n\nok,1\nbad\u0000,2\n".getBytes(StandardCharsets.ISO_8859_1);
        content[content.length - 6] = (byte) 0xC3; // a lone lead byte where the NUL was
        Path file = Csv.writeBytes(dir, "latin1.csv", content);
        assertThatThrownBy(() -> ingest(file))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("line 3, field 1: invalid UTF-8");
    }

    @Test
    void duplicateHeaderNamesAreRejected() {
        Path file = Csv.write(dir, "dup.csv", "a,b,a", "1,2,3");
        assertThatThrownBy(() -> ingest(file))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("column name 'a' appears twice");
    }

    @Test
    void anUnclosedQuoteIsReported() {
        Path file = Csv.write(dir, "open.csv", "a,b", "1,\"never closed");
        assertThatThrownBy(() -> ingest(file))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("a quoted field is never closed");
    }
}
