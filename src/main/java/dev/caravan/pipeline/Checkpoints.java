package dev.caravan.pipeline;

import dev.caravan.data.IoErrors;
import dev.caravan.data.Sha256;
import dev.caravan.registry.Artifact;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stage's typed output saved as a file (artifact kind {@code checkpoint}), so that a resumed run or a cache hit
 * restores it instead of recomputing. Java serialization of Caravan's records: a checkpoint is only read after
 * its sha256 matched the one recorded when it was written, and the filter admits Caravan's classes, the JDK's
 * collections and primitive arrays, nothing else, and bounds the depth and the number of objects.
 */
final class Checkpoints {
    private static final ObjectInputFilter ALLOWED = ObjectInputFilter.Config.createFilter(
            "dev.caravan.**;java.lang.*;java.util.*;[D;[F;[I;[J;[B;[Z;!*;maxdepth=64;maxrefs=10000000");

    private Checkpoints() {}

    static Artifact write(Path directory, Stage<?> stage, Serializable checkpoint) {
        Path file = directory.resolve("checkpoints").resolve(stage.name() + ".bin");
        try {
            Files.createDirectories(file.getParent());
            try (ObjectOutputStream out =
                    new ObjectOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
                out.writeObject(checkpoint);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the checkpoint of stage " + stage + " to " + file + ": " + IoErrors.describe(e), e);
        }
        return ArtifactFiles.describe(Artifact.CHECKPOINT, file);
    }

    /**
     * Reads a checkpoint, deserializing exactly the bytes whose sha256 was checked against the recorded one.
     *
     * @throws IllegalStateException when the file is missing, altered, or written by another version of Caravan
     */
    static Serializable read(Path file, String recordedSha256) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("checkpoint " + file + " cannot be read: " + e.getMessage(), e);
        }
        String actual = Sha256.hex(bytes);
        if (!actual.equals(recordedSha256)) {
            throw new IllegalStateException("checkpoint " + file + " has sha256 " + actual.substring(0, 12)
                    + ", recorded " + recordedSha256.substring(0, 12));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(ALLOWED);
            return (Serializable) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException(
                    "checkpoint " + file + " was written by another version of Caravan: " + e.getMessage(), e);
        }
    }
}
