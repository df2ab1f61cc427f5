package dev.caravan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.caravan.testing.SyntheticRegression;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogTargetTest {
    private static final FittedTransform IDENTITY = SyntheticRegression.identityTransform(1);

    /** Targets {@code exp(N(0, 1))}: positive and skewed (skewness about 6), or plain normal ones. */
    private static FeatureMatrix targets(int rows, long seed, boolean lognormal) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            double normal = random.nextGaussian();
            y[i] = (float) (lognormal ? Math.exp(normal) : normal + 10);
        }
        return new FeatureMatrix(rows, 1, new float[rows], y);
    }

    @Test
    void aPositiveSkewedTargetIsOfferedItsLogarithm() {
        LogTarget.Offer offer = LogTarget.of(new EncodedSplits(
                        IDENTITY, targets(500, 1, true), targets(100, 2, true), targets(100, 3, true)))
                .orElseThrow();

        FittedTransform logged = offer.encoded().transform();
        assertThat(logged.target().logged()).isTrue();
        assertThat(offer.why()).startsWith("'y' is strictly positive and skewed (skewness ");
        float y = targets(100, 3, true).targets()[7];
        assertThat(logged.unscaleTarget(offer.encoded().test().targets()[7])).isCloseTo(y, within(1e-4 * y));
    }

    @Test
    void aZeroInAnySplitOrASymmetricTargetIsNotOffered() {
        FeatureMatrix test = targets(100, 3, true);
        test.targets()[5] = 0;

        assertThat(LogTarget.of(new EncodedSplits(IDENTITY, targets(500, 1, true), targets(100, 2, true), test)))
                .isEmpty();
        assertThat(LogTarget.of(new EncodedSplits(
                        IDENTITY, targets(500, 1, false), targets(100, 2, false), targets(100, 3, false))))
                .isEmpty();
    }
}
