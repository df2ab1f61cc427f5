package dev.caravan.data;

import java.util.Locale;

/** An enum that people read and write in lower case: in specs, on the command line, in JSON and reports. */
public interface LowerCaseName {
    String name();

    /** The constant's name in lower case: {@code val_loss}, {@code l1}, {@code median}. */
    default String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
