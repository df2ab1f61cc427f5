package dev.caravan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuccessiveHalvingTest {
    @Test
    void rungsAreAFactorThreeApartAndEndAtTheMaximum() {
        assertThat(SuccessiveHalving.rungs(12, 500)).containsExactly(18, 55, 166, 500);
        assertThat(SuccessiveHalving.rungs(3, 500)).containsExactly(166, 500);
        assertThat(SuccessiveHalving.rungs(1, 500)).containsExactly(500);
    }

    @Test
    void noRungIsShorterThanTheMinimum() {
        assertThat(SuccessiveHalving.rungs(100, 30)).containsExactly(10, 30);
        assertThat(SuccessiveHalving.rungs(100, 14)).containsExactly(14);
    }

    @Test
    void aRungKeepsAThirdRoundedUp() {
        assertThat(SuccessiveHalving.kept(12)).isEqualTo(4);
        assertThat(SuccessiveHalving.kept(4)).isEqualTo(2);
        assertThat(SuccessiveHalving.kept(2)).isEqualTo(1);
        assertThat(SuccessiveHalving.kept(1)).isEqualTo(1);
    }

    @Test
    void rankingPutsNanLastAndBreaksTiesByCandidate() {
        List<SuccessiveHalving.Standing> standings = List.of(
                new SuccessiveHalving.Standing(0, 0.5),
                new SuccessiveHalving.Standing(1, Double.NaN),
                new SuccessiveHalving.Standing(2, 0.2),
                new SuccessiveHalving.Standing(3, 0.5));

        assertThat(SuccessiveHalving.ranked(standings, false))
                .extracting(SuccessiveHalving.Standing::candidate)
                .containsExactly(2, 0, 3, 1);
        assertThat(SuccessiveHalving.ranked(standings, true))
                .extracting(SuccessiveHalving.Standing::candidate)
                .containsExactly(0, 3, 2, 1);
    }
}
