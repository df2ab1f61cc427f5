package dev.caravan.data;

import java.io.Serializable;

/** The output of the transform stage: the fitted transform and the three splits encoded with it. */
public record EncodedSplits(
        FittedTransform transform, FeatureMatrix train, FeatureMatrix validation, FeatureMatrix test)
        implements Serializable {}
