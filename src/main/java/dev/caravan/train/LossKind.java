package dev.caravan.train;

import dev.caravan.data.LowerCaseName;

/** The regression loss; classification always uses softmax cross-entropy. */
public enum LossKind implements LowerCaseName {
    MSE,
    L1
}
