package dev.caravan.train;

/** Training could not produce a model (every candidate diverged, say); the message says what to change. */
public class TrainingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingException(String message) {
        super(message);
    }
}
