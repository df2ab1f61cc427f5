package dev.caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** docker-compose.yml stays valid for Debian's docker-compose (unknown keys, bad depends_on and the like). */
class ComposeFileTest {
    @Test
    void theComposeFileValidates() throws Exception {
        ExternalTools.require("validating docker-compose.yml", "docker-compose");
        Process process = new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config", "-q")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
