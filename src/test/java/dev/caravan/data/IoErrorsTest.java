package dev.caravan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoErrorsTest {
    @TempDir
    Path dir;

    /** What a root-owned volume gives the runtime user: the JDK's message is the bare path. */
    @Test
    void aDeniedWriteSaysPermissionDenied() {
        AccessDeniedException denied = new AccessDeniedException("/data/runs");

        assertThat(denied.getMessage()).isEqualTo("/data/runs");
        assertThat(IoErrors.describe(denied)).isEqualTo("permission denied on /data/runs");
    }

    @Test
    void aWriteUnderAFileSaysWhatIsInTheWay() throws Exception {
        Path file = Files.writeString(dir.resolve("runs"), "not a directory");
        IOException failure =
                catchThrowableOfType(() -> Files.createDirectories(file.resolve("checkpoints")), IOException.class);

        assertThat(IoErrors.describe(failure)).contains(file.toString()).doesNotStartWith(file.toString());
    }
}
