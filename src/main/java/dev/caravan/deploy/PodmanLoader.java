package dev.caravan.deploy;

import dev.caravan.data.CaravanException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Loads an image archive into the local podman store. */
final class PodmanLoader {
    private PodmanLoader() {}

    static void load(Path tar) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("podman", "load", "-i", tar.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw CaravanException.unavailable("deploy target podman: podman is not installed or not on PATH", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw CaravanException.unavailable("podman load -i " + tar + " failed: " + output, null);
        }
    }
}
