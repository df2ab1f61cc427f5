package dev.caravan.train;

import dev.caravan.data.EnumNames;

/** The optimizer: Adam, or SGD with momentum. */
public enum OptimizerKind {
    ADAM, SGD;

    public String id() {
        return EnumNames.id(this);
    }

    public static OptimizerKind fromId(String id) {
        return EnumNames.parse(OptimizerKind.class, id, "optimizer");
    }
}
