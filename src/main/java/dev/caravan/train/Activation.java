package dev.caravan.train;

import dev.caravan.data.LowerCaseName;

/** The hidden layers' activation function. */
public enum Activation implements LowerCaseName {
    RELU,
    GELU,
    TANH
}
