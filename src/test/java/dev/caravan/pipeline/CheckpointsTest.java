package dev.caravan.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.data.Sha256;
import dev.caravan.registry.Artifact;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints come back as written, and only to the build that wrote them. */
class CheckpointsTest {
    @TempDir
    Path dir;

    @Test
    void aCheckpointComesBackAsItWasWritten() {
        ArrayList<String> columns = new ArrayList<>(List.of("a", "b"));

        Artifact written = Checkpoints.write(dir, PipelineStages.INGEST, columns);
        Serializable read = Checkpoints.read(Path.of(written.path()), written.sha256());

        assertThat(read).isEqualTo(columns);
    }

    @Test
    void aCheckpointOfAnotherBuildIsRefusedNotReadWithDefaults() throws IOException {
        Path file = dir.resolve("ingest.bin");
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(file))) {
            out.writeUTF("0123456789abcdef-another-build");
            out.writeObject(new ArrayList<>(List.of("a", "b")));
        }

        assertThatThrownBy(() -> Checkpoints.read(file, Sha256.hex(file)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was written by another build of Caravan (code 0123456789ab, this one is ");
    }
}
