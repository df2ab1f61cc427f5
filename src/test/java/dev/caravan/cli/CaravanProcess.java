package dev.caravan.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The CLI in a JVM of its own, for tests that kill it or run two at once. Output goes to a log file. */
final class CaravanProcess {
    private CaravanProcess() {
    }

    static Process start(Map<String, String> environment, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // surefire's class path (its manifest names the test and runtime class paths)
                "-cp", System.getProperty("java.class.path"), CaravanCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }
}
