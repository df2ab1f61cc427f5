package dev.caravan.train;

import java.util.Locale;

/** The optimizer: Adam, or SGD with momentum. */
public enum OptimizerKind {
    ADAM,
    SGD;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
