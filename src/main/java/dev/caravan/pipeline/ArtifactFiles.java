package dev.caravan.pipeline;

import dev.caravan.data.AtomicFiles;
import dev.caravan.data.IoErrors;
import dev.caravan.data.Json;
import dev.caravan.data.Sha256;
import dev.caravan.registry.Artifact;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes artifact files (atomically: all or nothing) and describes them (sha256 and size) for the run store. */
final class ArtifactFiles {
    private ArtifactFiles() {}

    /** Writes {@code value} as indented JSON and returns the artifact record. */
    static Artifact writeJson(String kind, Path file, Object value) {
        return writeBytes(kind, file, Json.pretty(value).getBytes(StandardCharsets.UTF_8));
    }

    static Artifact writeBytes(String kind, Path file, byte[] content) {
        try {
            AtomicFiles.write(file, content);
            return describe(kind, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write artifact " + file + ": " + IoErrors.describe(e), e);
        }
    }

    static Artifact describe(String kind, Path file) {
        try {
            return new Artifact(kind, file.toAbsolutePath().toString(), Sha256.hex(file), Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + file + ": " + e.getMessage(), e);
        }
    }
}
