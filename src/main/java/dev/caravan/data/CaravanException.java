package dev.caravan.data;

import java.io.UncheckedIOException;

/**
 * Caravan's one error type: a message for people, in one line, and a {@link Kind} that every edge maps from. The
 * CLI exits with {@link Kind#exitCode()}, the REST API and the model server answer {@link Kind#httpStatus()}, and a
 * failed run is recorded with the message alone unless the kind is {@link Kind#FAULT}, which keeps its stack trace.
 */
public final class CaravanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, from the point of view of the person who has to act on it. */
    public enum Kind {
        /** The input data is wrong: a file, a row, a cell or a request body; the message names it. */
        BAD_DATA(1, 400),
        /** A setting, flag, argument or request parameter is wrong; the message names it. */
        BAD_SETTING(2, 400),
        /** No such run, model, version, alias or pipeline. */
        NOT_FOUND(2, 404),
        /** Someone else holds or changed it: a pipeline's lock, a run stopped meanwhile. Try again later. */
        BUSY(1, 409),
        /** The request lacks the credentials a write needs. */
        DENIED(2, 401),
        /** Something Caravan needs is out of reach: the database, a disk, memory, a server that is stopping. */
        UNAVAILABLE(1, 503),
        /** Anything else: a bug, reported with its stack trace. */
        FAULT(1, 500);

        private final int exitCode;
        private final int httpStatus;

        Kind(int exitCode, int httpStatus) {
            this.exitCode = exitCode;
            this.httpStatus = httpStatus;
        }

        /** The CLI's exit code: 2 when the command line or its settings must change, else 1. */
        public int exitCode() {
            return exitCode;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;

    public CaravanException(Kind kind, String message) {
        this(kind, message, null);
    }

    public CaravanException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public static CaravanException badData(String message) {
        return new CaravanException(Kind.BAD_DATA, message);
    }

    public static CaravanException badData(String message, Throwable cause) {
        return new CaravanException(Kind.BAD_DATA, message, cause);
    }

    public static CaravanException badSetting(String message) {
        return new CaravanException(Kind.BAD_SETTING, message);
    }

    public static CaravanException badSetting(String message, Throwable cause) {
        return new CaravanException(Kind.BAD_SETTING, message, cause);
    }

    public static CaravanException notFound(String message) {
        return new CaravanException(Kind.NOT_FOUND, message);
    }

    public static CaravanException busy(String message) {
        return new CaravanException(Kind.BUSY, message);
    }

    public static CaravanException unavailable(String message, Throwable cause) {
        return new CaravanException(Kind.UNAVAILABLE, message, cause);
    }

    public static CaravanException fault(String message, Throwable cause) {
        return new CaravanException(Kind.FAULT, message, cause);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The kind of any exception: a Caravan one's own; an {@link IllegalArgumentException}, the JDK's way of saying
     * an argument is wrong, is a bad setting; a failed file read or write is unavailable; anything else a fault.
     */
    public static Kind kindOf(Throwable error) {
        if (error instanceof CaravanException caravan) {
            return caravan.kind();
        }
        if (error instanceof IllegalArgumentException) {
            return Kind.BAD_SETTING;
        }
        return error instanceof UncheckedIOException ? Kind.UNAVAILABLE : Kind.FAULT;
    }

    /** The message on one line: alone when it is meant for people, after the exception's type for a fault. */
    public static String oneLine(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        String message = error.getMessage() == null ? "" : error.getMessage().replaceAll("\\s*\\R\\s*", " ");
        return kindOf(error) != Kind.FAULT && !message.isEmpty()
                ? message
                : error.getClass().getSimpleName() + ": " + message;
    }
}
