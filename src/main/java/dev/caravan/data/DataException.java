package dev.caravan.data;

/**
 * Bad input data: the message names the file, line or column at fault, in one line. The run that meets it is
 * recorded as FAILED with this message.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
