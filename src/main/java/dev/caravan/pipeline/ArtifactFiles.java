package dev.caravan.pipeline;

import dev.caravan.registry.Records.Artifact;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Writes artifact files and describes them (sha256 and size) for the run store. */
final class ArtifactFiles {
    private ArtifactFiles() {
    }

    /** Writes {@code value} as indented JSON and returns the artifact record. */
    static Artifact writeJson(String kind, Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Json.pretty(value));
            return describe(kind, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write artifact " + file + ": " + e.getMessage(), e);
        }
    }

    static Artifact writeBytes(String kind, Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            return describe(kind, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write artifact " + file + ": " + e.getMessage(), e);
        }
    }

    static Artifact describe(String kind, Path file) {
        return new Artifact(kind, file.toAbsolutePath().toString(), sha256(file), sizeOf(file));
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    static String sha256(Path file) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
