package dev.caravan.clean;

import java.util.Locale;

/** Why a row was quarantined; a row gets the first reason that applies, in this order. */
public enum QuarantineReason {
    UNPARSEABLE_VALUE,
    NON_FINITE_VALUE,
    MISSING_TARGET,
    MISSING_VALUE,
    OUT_OF_RANGE,
    DUPLICATE_ROW;

    /** The name used in the quarantine file and in metrics, e.g. {@code missing_value}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
