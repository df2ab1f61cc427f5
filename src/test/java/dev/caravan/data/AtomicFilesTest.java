package dev.caravan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write cut off halfway, by an error or by killing the process, leaves the old file or none. */
class AtomicFilesTest {
    private static final byte[] OLD = "the old artifact\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldFileAndNoLeftovers() throws IOException {
        Path file = dir.resolve("model.onnx");
        AtomicFiles.write(file, OLD);

        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
                    out.write(new byte[100_000]);
                    throw new IOException("No space left on device");
                }))
                .hasMessage("No space left on device");

        assertThat(Files.readAllBytes(file)).isEqualTo(OLD);
        assertThat(names()).containsExactly("model.onnx");
    }

    @Test
    void aProcessKilledMidWriteLeavesTheOldFile() throws Exception {
        Path file = dir.resolve("checkpoint.bin");
        AtomicFiles.write(file, OLD);
        Path started = dir.resolve("started");
        Process writer = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SlowWriter.class.getName(),
                        file.toString(),
                        started.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            for (int i = 0; i < 600 && !Files.exists(started); i++) {
                Thread.sleep(50);
            }
            assertThat(started).as("the writer began writing").exists();
        } finally {
            writer.destroyForcibly(); // SIGKILL: no finally block of the writer runs
            writer.waitFor(30, TimeUnit.SECONDS);
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(OLD);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    /** Writes a file a chunk at a time, forever, after saying it has begun. */
    public static final class SlowWriter {
        public static void main(String[] arguments) throws Exception {
            Path started = Path.of(arguments[1]);
            AtomicFiles.write(Path.of(arguments[0]), out -> {
                byte[] chunk = new byte[1 << 16];
                while (true) {
                    out.write(chunk);
                    out.flush();
                    if (!Files.exists(started)) {
                        Files.createFile(started);
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
    }
}
