package dev.caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The token reaches the caravan service as given, in a form every compose runner substitutes. */
    @Test
    void theApiTokenIsSubstitutedPlainly() throws Exception {
        ExternalTools.require("validating docker-compose.yml", "docker-compose");
        String token = "compose-test-token-5d1e8a";
        ProcessBuilder builder =
                new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config").redirectErrorStream(true);
        builder.environment().put("CARAVAN_API_TOKEN", token);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("CARAVAN_API_TOKEN: " + token);
        assertThat(Files.readString(Path.of("docker-compose.yml")))
                .contains("CARAVAN_API_TOKEN: ${CARAVAN_API_TOKEN}")
                .doesNotContain("${CARAVAN_API_TOKEN:-");
    }
}
