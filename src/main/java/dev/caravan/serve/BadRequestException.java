package dev.caravan.serve;

/** A request the server refuses with HTTP 400; the message names the field at fault. */
public class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadRequestException(String message) {
        super(message);
    }
}
