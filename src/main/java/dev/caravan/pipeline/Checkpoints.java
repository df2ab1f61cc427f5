package dev.caravan.pipeline;

import dev.caravan.data.AtomicFiles;
import dev.caravan.data.IoErrors;
import dev.caravan.data.Sha256;
import dev.caravan.registry.Artifact;
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
 * collections and primitive arrays, nothing else, and bounds the depth and the number of objects. Each file starts
 * with the code's fingerprint, and only the same build reads it back.
 */
final class Checkpoints {
    private static final ObjectInputFilter ALLOWED = ObjectInputFilter.Config.createFilter(
            "dev.caravan.**;java.lang.*;java.util.*;[D;[F;[I;[J;[B;[Z;!*;maxdepth=64;maxrefs=10000000");

    private Checkpoints() {}

    static Artifact write(Path directory, Stage<?> stage, Serializable checkpoint) {
        Path file = directory.resolve("checkpoints").resolve(stage.name() + ".bin");
        try {
            AtomicFiles.write(file, bytes -> {
                ObjectOutputStream out = new ObjectOutputStream(bytes);
                out.writeUTF(CodeFingerprint.VALUE);
                out.writeObject(checkpoint);
                out.flush();
            });
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
            String writtenBy = in.readUTF();
            if (!writtenBy.equals(CodeFingerprint.VALUE)) {
                // records read back by other code would take defaults (nulls) for the fields they lack
                throw new IllegalStateException("checkpoint " + file + " was written by another build of Caravan (code "
                        + abbreviated(writtenBy) + ", this one is " + abbreviated(CodeFingerprint.VALUE) + ")");
            }
            return (Serializable) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException(
                    "checkpoint " + file + " was written by another version of Caravan: " + e.getMessage(), e);
        }
    }

    private static String abbreviated(String fingerprint) {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
    }
}
