package dev.caravan.deploy;

/** The image could not be built, pushed or loaded; the message says which and why. */
public class DeployException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
