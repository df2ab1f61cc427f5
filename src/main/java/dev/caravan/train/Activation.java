package dev.caravan.train;

import java.util.Locale;

/** The hidden layers' activation function. */
public enum Activation {
    RELU, GELU, TANH;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Activation fromId(String id) {
        for (Activation activation : values()) {
            if (activation.id().equalsIgnoreCase(id.trim())) {
                return activation;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + id + "' (expected relu, gelu or tanh)");
    }
}
