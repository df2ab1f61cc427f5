package dev.caravan.clean;

import dev.caravan.data.LowerCaseName;

/** Why a row was quarantined; a row gets the first reason that applies, in this order. */
public enum QuarantineReason implements LowerCaseName {
    UNPARSEABLE_VALUE,
    NON_FINITE_VALUE,
    MISSING_TARGET,
    MISSING_VALUE,
    OUT_OF_RANGE,
    DUPLICATE_ROW
}
