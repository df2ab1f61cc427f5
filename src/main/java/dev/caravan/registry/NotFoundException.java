package dev.caravan.registry;

/** The registry has no such model, version or alias: a usage error for the CLI, a 404 for the REST API. */
public final class NotFoundException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NotFoundException(String message) {
        super(message);
    }
}
