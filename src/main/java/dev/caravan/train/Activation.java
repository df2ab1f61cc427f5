package dev.caravan.train;

import dev.caravan.data.EnumNames;

/** The hidden layers' activation function. */
public enum Activation {
    RELU, GELU, TANH;

    public String id() {
        return EnumNames.id(this);
    }

    public static Activation fromId(String id) {
        return EnumNames.parse(Activation.class, id, "activation");
    }
}
