package dev.caravan.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CLI in a JVM of its own, for tests that kill it or run two at once: target/classes plus the runtime jars
 * Maven lists in target/runtime-classpath.txt. Its output goes to a log file.
 */
public final class CaravanProcess {
    private CaravanProcess() {}

    /** Starts {@code caravan ARGS} with the test's environment plus {@code environment}. */
    public static Process start(Map<String, String> environment, Path log, String... args) {
        try {
            String classpath = Path.of("target/classes").toAbsolutePath()
                    + File.pathSeparator
                    + Files.readString(Path.of("target/runtime-classpath.txt")).trim();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m",
                    "-cp",
                    classpath,
                    "dev.caravan.cli.CaravanCli"));
            command.addAll(List.of(args));
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().remove("CARAVAN_API_TOKEN");
            builder.environment().putAll(environment);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start a caravan process (run mvn test, which writes" + " target/runtime-classpath.txt): "
                            + e.getMessage(),
                    e);
        }
    }
}
