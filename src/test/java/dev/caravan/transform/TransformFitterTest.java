package dev.caravan.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.data.CaravanException;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.Split;
import dev.caravan.data.Table;
import dev.caravan.ingest.CsvIngestor;
import dev.caravan.testing.Csv;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformFitterTest {
    @TempDir
    Path dir;

    /** Rows 0-3 train, 4 validation, 5 test. */
    private static final Split SPLIT = new Split(new int[] {0, 1, 2, 3}, new int[] {4}, new int[] {5}, 1, false);

    private Table table() {
        return CsvIngestor.builder()
                .setFile(Csv.write(
                        dir,
                        "data.csv",
                        "x,flat,home,day,y",
                        "0,7,rent,2024-01-01,1.0", // a Monday
                        "10,7,own,2024-01-02,2.0",
                        "5,7,rent,2024-02-10,3.0",
                        "2.5,7,rent,2024-03-15,4.0",
                        "20,7,castle,2024-01-06,5.0", // validation: x beyond the training range, an unseen level
                        "-10,7,own,2024-01-07,6.0"))
                .build()
                .ingest()
                .table();
    }

    private static TransformFitter.Builder regression() {
        return TransformFitter.builder().setTarget("y").setClassification(false);
    }

    private static int feature(FittedTransform transform, String name) {
        for (int j = 0; j < transform.featureCount(); j++) {
            if (transform.features().get(j).name().equals(name)) {
                return j;
            }
        }
        throw new AssertionError("no feature " + name);
    }

    @Test
    void minMaxIsFittedOnTheTrainingSplitOnly() {
        EncodedSplits encoded = regression().build().fitAndEncode(table(), SPLIT);
        int x = feature(encoded.transform(), "x");

        assertThat(column(encoded.train(), x)).containsExactly(0f, 1f, 0.5f, 0.25f);
        assertThat(encoded.validation().feature(0, x)).isEqualTo(2f); // 20 lies past the training max of 10
        assertThat(encoded.test().feature(0, x)).isEqualTo(-1f);
    }

    @Test
    void minMaxToMinusOneOne() {
        EncodedSplits encoded = regression().optRange(-1, 1).build().fitAndEncode(table(), SPLIT);
        assertThat(column(encoded.train(), feature(encoded.transform(), "x"))).containsExactly(-1f, 1f, 0f, -0.5f);
    }

    @Test
    void aConstantColumnDoesNotDivideByZero() {
        for (NormalizationMethod method : NormalizationMethod.values()) {
            EncodedSplits encoded = regression().optMethod(method).build().fitAndEncode(table(), SPLIT);
            assertThat(column(encoded.train(), feature(encoded.transform(), "flat")))
                    .containsOnly(0f);
        }
    }

    @Test
    void zScoreGivesMeanZeroAndUnitVarianceOnTraining() {
        EncodedSplits encoded =
                regression().optMethod(NormalizationMethod.ZSCORE).build().fitAndEncode(table(), SPLIT);
        float[] x = column(encoded.train(), feature(encoded.transform(), "x"));
        double mean = (x[0] + x[1] + x[2] + x[3]) / 4.0;
        double variance = 0;
        for (float value : x) {
            variance += (value - mean) * (value - mean) / 4;
        }
        assertThat(mean).isCloseTo(0, within(1e-6));
        assertThat(variance).isCloseTo(1, within(1e-5));
    }

    @Test
    void anUnseenCategoryGoesToTheUnknownSlot() {
        EncodedSplits encoded = regression().build().fitAndEncode(table(), SPLIT);
        FittedTransform transform = encoded.transform();
        assertThat(transform.inputs().get(2).vocabulary()).containsExactly("own", "rent"); // castle is not in training
        assertThat(encoded.validation().feature(0, feature(transform, "home=<unknown>")))
                .isEqualTo(1f);
        assertThat(encoded.validation().feature(0, feature(transform, "home=own")))
                .isEqualTo(0f);
        assertThat(encoded.train().feature(0, feature(transform, "home=rent"))).isEqualTo(1f);
    }

    @Test
    void datesBecomeNumericFeatures() {
        EncodedSplits encoded = regression().build().fitAndEncode(table(), SPLIT);
        FittedTransform transform = encoded.transform();
        assertThat(encoded.train().feature(0, feature(transform, "day.dayOfWeek=MON")))
                .isEqualTo(1f);
        assertThat(encoded.train().feature(0, feature(transform, "day.epochDay")))
                .isEqualTo(0f);
        assertThat(encoded.train().feature(3, feature(transform, "day.epochDay")))
                .isEqualTo(1f);
        assertThat(encoded.train().feature(2, feature(transform, "day.month"))).isEqualTo(0.5f); // Feb in Jan..Mar
    }

    @Test
    void theRegressionTargetIsScaledAndCanBeUnscaled() {
        EncodedSplits encoded = regression().build().fitAndEncode(table(), SPLIT);
        FittedTransform transform = encoded.transform();
        assertThat(transform.target().center()).isEqualTo(2.5);
        assertThat(transform.unscaleTarget(encoded.test().targets()[0])).isCloseTo(6.0, within(1e-6));
    }

    @Test
    void classificationTargetsBecomeLabelIndexes() {
        EncodedSplits encoded = TransformFitter.builder()
                .setTarget("home")
                .setClassification(true)
                .build()
                .fitAndEncode(table(), SPLIT);
        assertThat(encoded.transform().target().labels()).containsExactly("castle", "own", "rent");
        assertThat(encoded.train().targets()).containsExactly(2f, 1f, 2f, 2f);
        assertThat(encoded.validation().targets()).containsExactly(0f);
    }

    @Test
    void aSingleClassTargetIsRejected() {
        assertThatThrownBy(() -> TransformFitter.builder()
                        .setTarget("flat")
                        .setClassification(true)
                        .build()
                        .fitAndEncode(table(), SPLIT))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("target 'flat' has only one class");
    }

    @Test
    void regressionNeedsANumericTarget() {
        assertThatThrownBy(() -> TransformFitter.builder()
                        .setTarget("home")
                        .setClassification(false)
                        .build()
                        .fitAndEncode(table(), SPLIT))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("regression needs a numeric target");
    }

    /** The saved JSON alone turns raw CSV-like rows into exactly what the pipeline fed the model. */
    @Test
    void theSavedTransformEncodesRawRowsLikeThePipeline() throws Exception {
        Table table = table();
        EncodedSplits encoded =
                regression().optImputed(Map.of("x", "5")).build().fitAndEncode(table, SPLIT);
        ObjectMapper mapper = new ObjectMapper();
        FittedTransform reloaded =
                mapper.readValue(mapper.writeValueAsString(encoded.transform()), FittedTransform.class);
        assertThat(reloaded).usingRecursiveComparison().isEqualTo(encoded.transform());

        for (int i = 0; i < SPLIT.train().length; i++) {
            int row = SPLIT.train()[i];
            Map<String, Object> raw = new HashMap<>();
            for (String name : table.columnNames()) {
                raw.put(name, table.column(name).render(row));
            }
            double[] vector = normalized(reloaded, reloaded.encodeUnnormalized(raw));
            for (int j = 0; j < vector.length; j++) {
                assertThat((float) vector[j])
                        .as("row %d feature %d", row, j)
                        .isEqualTo(encoded.train().feature(i, j));
            }
        }
        Map<String, Object> typed = new HashMap<>(Map.of("flat", 7, "home", "rent", "day", "2024-01-01"));
        typed.put("x", null); // missing: imputed as 5
        assertThat(normalized(reloaded, reloaded.encodeUnnormalized(typed))[feature(reloaded, "x")])
                .isEqualTo(0.5);
        assertThatThrownBy(() -> reloaded.encodeUnnormalized(
                        Map.of("x", "oops", "flat", 7, "home", "rent", "day", "2024-01-01")))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("column 'x': 'oops' is not a valid numeric value");
        assertThat(List.of(reloaded.inputs().get(0).impute())).containsExactly("5");
    }

    /** The normalization the exported graph applies to an unnormalized vector. */
    private static double[] normalized(FittedTransform transform, double[] unnormalized) {
        double[] values = unnormalized.clone();
        for (int j = 0; j < values.length; j++) {
            values[j] = (values[j] - transform.features().get(j).center())
                    * transform.features().get(j).scale();
        }
        return values;
    }

    private static float[] column(FeatureMatrix matrix, int column) {
        float[] values = new float[matrix.rows()];
        for (int row = 0; row < values.length; row++) {
            values[row] = matrix.feature(row, column);
        }
        return values;
    }
}
