package dev.caravan.pipeline;

/** A pipeline spec or flag that is wrong; the message names the setting. The CLI exits with code 2. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
