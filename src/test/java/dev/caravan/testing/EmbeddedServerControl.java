package dev.caravan.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts an embedded PostgreSQL (zonky's binaries) by its data directory with its own {@code pg_ctl}, as
 * an operator's restart would: the server goes away with its connections and comes back on the same port.
 */
public final class EmbeddedServerControl {
    private final Path dataDirectory;
    private final Path pgCtl;
    private final String options;

    /** Reads how the running server was started (its {@code postmaster.opts}); call it while the server runs. */
    public EmbeddedServerControl(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        try {
            String commandLine =
                    Files.readString(dataDirectory.resolve("postmaster.opts")).strip();
            int end = commandLine.indexOf(' ');
            Path postgres = Path.of(commandLine.substring(0, end));
            this.pgCtl = postgres.resolveSibling("pg_ctl");
            this.options = commandLine.substring(end + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("no running embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /** A fast shutdown: sessions end, the server exits once its data is safe. */
    public void stop() {
        pgCtl("stop", "-D", dataDirectory.toString(), "-m", "fast", "-w");
    }

    public void start() {
        pgCtl(
                "start",
                "-D",
                dataDirectory.toString(),
                "-w",
                "-l",
                dataDirectory.resolve("restarted.log").toString(),
                "-o",
                options);
    }

    private void pgCtl(String... arguments) {
        List<String> command = new ArrayList<>();
        if (System.getProperty("user.name").equals("root")) {
            command.addAll(List.of("unshare", "-U")); // pg_ctl refuses root; zonky starts it the same way
        }
        command.add(pgCtl.toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("pg_ctl " + arguments[0] + " failed on " + dataDirectory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
