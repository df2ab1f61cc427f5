package dev.caravan.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Says why a file operation failed. The JDK's file-system exceptions often carry nothing but the path ({@code
 * AccessDeniedException: /data/runs}), which hides the cause; this names it, e.g. "permission denied on
 * /data/runs".
 */
public final class IoErrors {
    private IoErrors() {}

    public static String describe(IOException e) {
        if (e instanceof FileSystemException failure) {
            String other = failure.getOtherFile() == null ? "" : " (and " + failure.getOtherFile() + ")";
            return cause(failure) + " " + failure.getFile() + other;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String cause(FileSystemException failure) {
        if (failure instanceof AccessDeniedException) {
            return "permission denied on";
        } else if (failure instanceof NoSuchFileException) {
            return "no such file or directory:";
        } else if (failure instanceof FileAlreadyExistsException) {
            return "already exists:";
        } else if (failure instanceof NotDirectoryException) {
            return "not a directory:";
        } else if (failure instanceof DirectoryNotEmptyException) {
            return "directory not empty:";
        }
        return failure.getReason() == null ? "cannot use" : failure.getReason() + ":";
    }
}
