package dev.caravan.train;

import java.util.Locale;

/** The hidden layers' activation function. */
public enum Activation {
    RELU,
    GELU,
    TANH;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
