package dev.caravan.train;

import dev.caravan.data.LowerCaseName;

/** The optimizer: Adam, or SGD with momentum. */
public enum OptimizerKind implements LowerCaseName {
    ADAM,
    SGD
}
