package dev.caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** docker-compose.yml stays valid for Debian's docker-compose (unknown keys, bad depends_on and the like). */
class ComposeFileTest {
    @Test
    void theComposeFileValidates() throws Exception {
        boolean installed = false;
        for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
            installed |= Files.isExecutable(Path.of(folder, "docker-compose"));
        }
        if (!installed) {
            if ("true".equals(System.getenv("CI"))) {
                fail("docker-compose is needed to validate docker-compose.yml (apt-get install docker-compose)");
            }
            Assumptions.abort("docker-compose is not installed: docker-compose.yml not validated");
        }
        Process process = new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config", "-q")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
