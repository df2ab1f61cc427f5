package dev.caravan.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.data.CaravanException;
import dev.caravan.data.CategoricalColumn;
import dev.caravan.data.ColumnType;
import dev.caravan.data.NumericColumn;
import dev.caravan.data.Split;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitterTest {
    private static NumericColumn numbers(int rows) {
        return new NumericColumn(
                "y",
                ColumnType.NUMERIC,
                IntStream.range(0, rows).asDoubleStream().toArray());
    }

    @Test
    void splitsSeventyFifteenFifteenIntoDisjointSortedParts() {
        Split split = Splitter.builder().build().split(numbers(1000), false);

        assertThat(split.train()).hasSize(700);
        assertThat(split.validation()).hasSize(150);
        assertThat(split.test()).hasSize(150);
        int[] all = IntStream.concat(
                        IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.validation())),
                        Arrays.stream(split.test()))
                .sorted()
                .toArray();
        assertThat(all).isEqualTo(IntStream.range(0, 1000).toArray());
        assertThat(split.train()).isSorted();
    }

    @Test
    void isDeterministicForASeedAndDiffersAcrossSeeds() {
        Split first = Splitter.builder().optSeed(7).build().split(numbers(500), false);
        Split again = Splitter.builder().optSeed(7).build().split(numbers(500), false);
        Split other = Splitter.builder().optSeed(8).build().split(numbers(500), false);

        assertThat(again.train()).isEqualTo(first.train());
        assertThat(again.test()).isEqualTo(first.test());
        assertThat(other.train()).isNotEqualTo(first.train());
    }

    @Test
    void stratifiedSplitsKeepTheClassProportions() {
        int[] codes = new int[1000];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = i % 10 == 0 ? 1 : 0; // 10% minority class
        }
        CategoricalColumn target = new CategoricalColumn("y", codes, List.of("common", "rare"));
        Split split = Splitter.builder().build().split(target, true);

        assertThat(countRare(split.train(), codes)).isEqualTo(70);
        assertThat(countRare(split.validation(), codes)).isEqualTo(15);
        assertThat(countRare(split.test(), codes)).isEqualTo(15);
        assertThat(split.stratified()).isTrue();
    }

    private static long countRare(int[] rows, int[] codes) {
        return Arrays.stream(rows).filter(row -> codes[row] == 1).count();
    }

    @Test
    void aSmallClassStillReachesEverySplit() {
        int[] codes = new int[105];
        for (int i = 100; i < 105; i++) {
            codes[i] = 1; // five rows of the rare class
        }
        Split split = Splitter.builder().build().split(new CategoricalColumn("y", codes, List.of("a", "b")), true);
        assertThat(countRare(split.train(), codes)).isEqualTo(3);
        assertThat(countRare(split.validation(), codes)).isEqualTo(1);
        assertThat(countRare(split.test(), codes)).isEqualTo(1);
    }

    @Test
    void tooFewRowsForASplitIsAClearError() {
        assertThatThrownBy(() -> Splitter.builder().build().split(numbers(3), false))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("split is empty: 3 cleaned rows are too few");
    }

    @Test
    void fractionsMustAddUpToOne() {
        assertThatThrownBy(() -> Splitter.builder().optFractions(0.5, 0.2, 0.2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add up to 1");
    }
}
