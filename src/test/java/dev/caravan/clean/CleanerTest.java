package dev.caravan.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.data.CaravanException;
import dev.caravan.data.NumericColumn;
import dev.caravan.data.Table;
import dev.caravan.ingest.CsvIngestor;
import dev.caravan.testing.Csv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanerTest {
    @TempDir
    Path dir;

    private Table read(String... lines) {
        return CsvIngestor.builder()
                .setFile(Csv.write(dir, "data.csv", lines))
                .build()
                .ingest()
                .table();
    }

    private CleanResult clean(Table table, CleaningPolicy.Builder policy) {
        return new Cleaner(policy.build()).clean(table, dir.resolve("quarantine.csv"));
    }

    @Test
    void quarantinesEachReasonWithItsLineAndDetail() throws IOException {
        Table table = read(
                "age,city,y",
                "30,paris,1", // line 2: kept
                "abc,rome,0", // line 3: unparseable
                "NaN,rome,1", // line 4: non-finite
                ",oslo,0", // line 5: missing (drop policy)
                "150,oslo,1", // line 6: out of range
                "30,paris,1", // line 7: duplicate of line 2
                "40,oslo,0"); // line 8: kept
        CleanResult result = clean(
                table,
                CleaningPolicy.builder()
                        .setTarget("y")
                        .optMissing(MissingStrategy.DROP)
                        .optRange("age", 0.0, 120.0));

        assertThat(result.table().rowCount()).isEqualTo(2);
        assertThat(result.table().lineNumbers()).containsExactly(2, 8);
        assertThat(result.quarantinedByReason())
                .containsExactly(
                        Map.entry("unparseable_value", 1),
                        Map.entry("non_finite_value", 1),
                        Map.entry("missing_value", 1),
                        Map.entry("out_of_range", 1),
                        Map.entry("duplicate_row", 1));
        List<String> quarantine = Files.readAllLines(result.quarantineFile());
        assertThat(quarantine)
                .containsExactly(
                        "line,reason,detail,age,city,y",
                        "3,unparseable_value,age='abc' is not a finite number,abc,rome,0",
                        "4,non_finite_value,age='NaN' is not a finite number,NaN,rome,1",
                        "5,missing_value,age is missing,,oslo,0",
                        "6,out_of_range,\"age=150 is outside [0.0, 120.0]\",150,oslo,1",
                        "7,duplicate_row,duplicate of line 2,30,paris,1");
    }

    @Test
    void imputesWithMeanMedianAndModePerColumn() {
        Table table = read("a,b,c,y", "1,10,x,1", "2,,x,0", ",30,y,1", "6,40,,0");
        CleanResult result = clean(
                table,
                CleaningPolicy.builder()
                        .setTarget("y")
                        .optMissing(MissingStrategy.MEAN)
                        .optMissing("b", MissingStrategy.MEDIAN));

        assertThat(result.quarantined()).isZero();
        assertThat(result.quarantineFile()).isNull();
        assertThat(((NumericColumn) result.table().column("a")).values()).containsExactly(1, 2, 3, 6);
        assertThat(((NumericColumn) result.table().column("b")).values()).containsExactly(10, 30, 30, 40);
        assertThat(result.table().column("c").render(3)).isEqualTo("x"); // categorical falls back to mode
        assertThat(result.imputed())
                .containsEntry("a", "3")
                .containsEntry("b", "30")
                .containsEntry("c", "x")
                .doesNotContainKey("y");
    }

    @Test
    void aMissingTargetFailsWithItsLineUnlessConfiguredToDrop() {
        Table table = read("x,y", "1,a", "2,", "3,b", "4,");
        assertThatThrownBy(() -> clean(table, CleaningPolicy.builder().setTarget("y")))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("line 3: target 'y' is missing (2 rows in all)");

        CleanResult dropped =
                clean(table, CleaningPolicy.builder().setTarget("y").optDropMissingTarget(true));
        assertThat(dropped.quarantinedByReason()).containsExactly(Map.entry("missing_target", 2));
    }

    @Test
    void keepsDuplicatesWhenAsked() {
        Table table = read("x,y", "1,a", "1,a");
        assertThat(clean(table, CleaningPolicy.builder().setTarget("y").optDropDuplicates(false))
                        .quarantined())
                .isZero();
    }

    @Test
    void failsWhenEveryRowIsQuarantinedAndPointsAtTheFile() {
        Table table = read("x,y", "abc,1", "1,0", "2,1", "3,0");
        CleaningPolicy.Builder policy = CleaningPolicy.builder().setTarget("y").optRange("x", 5.0, null);
        assertThatThrownBy(() -> clean(table, policy))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("every one of the 4 rows of data.csv was quarantined")
                .hasMessageContaining("quarantine.csv");
        assertThat(dir.resolve("quarantine.csv")).exists();
    }

    @Test
    void anUnknownTargetListsTheColumns() {
        Table table = read("x,y", "1,2");
        assertThatThrownBy(() -> clean(table, CleaningPolicy.builder().setTarget("z")))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("column 'z' is not in data.csv (columns: x, y)");
    }

    @Test
    void meanOnACategoricalColumnIsAConfigurationError() {
        Table table = read("c,y", "a,1", ",0");
        assertThatThrownBy(() ->
                        clean(table, CleaningPolicy.builder().setTarget("y").optMissing("c", MissingStrategy.MEAN)))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("column 'c'");
    }
}
