package dev.caravan.transform;

import dev.caravan.data.LowerCaseName;

/** How numeric features are scaled. */
public enum NormalizationMethod implements LowerCaseName {
    /** To a fixed interval, [0, 1] by default, from the training minimum and maximum. */
    MINMAX,
    /** To mean 0 and standard deviation 1 on the training split. */
    ZSCORE
}
