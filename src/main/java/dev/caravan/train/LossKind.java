package dev.caravan.train;

import java.util.Locale;

/** The regression loss; classification always uses softmax cross-entropy. */
public enum LossKind {
    MSE,
    L1;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
