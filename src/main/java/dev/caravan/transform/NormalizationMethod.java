package dev.caravan.transform;

import java.util.Locale;

/** How numeric features are scaled. */
public enum NormalizationMethod {
    /** To a fixed interval, [0, 1] by default, from the training minimum and maximum. */
    MINMAX,
    /** To mean 0 and standard deviation 1 on the training split. */
    ZSCORE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
