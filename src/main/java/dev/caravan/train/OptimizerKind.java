package dev.caravan.train;

import java.util.Locale;

/** The optimizer: Adam, or SGD with momentum. */
public enum OptimizerKind {
    ADAM, SGD;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OptimizerKind fromId(String id) {
        for (OptimizerKind kind : values()) {
            if (kind.id().equalsIgnoreCase(id.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + id + "' (expected adam or sgd)");
    }
}
