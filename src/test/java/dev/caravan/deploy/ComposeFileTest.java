package dev.caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.pipeline.CamelHost;
import dev.caravan.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml stays valid for Debian's docker-compose (unknown keys, bad depends_on and the like). */
class ComposeFileTest {
    /** {@code caravan server --drain-seconds}' default. */
    private static final int DEFAULT_DRAIN_SECONDS = 60;
    /** Time to close the database pool and exit after Camel has stopped. */
    private static final int EXIT_MARGIN_SECONDS = 5;

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

    /**
     * Compose kills the server when its grace period ends: the drain of running runs and Camel's shutdown must fit
     * inside it, so that runs cut off are recorded FAILED before the process goes.
     */
    @Test
    void theServersDrainAndShutdownFitTheGracePeriod() throws Exception {
        String compose = Files.readString(Path.of("docker-compose.yml"));
        Matcher grace = Pattern.compile("stop_grace_period: (\\d+)s").matcher(compose);
        assertThat(grace.find()).as("caravan's stop_grace_period").isTrue();
        Matcher drain = Pattern.compile("\"--drain-seconds\", \"(\\d+)\"").matcher(compose);
        int drainSeconds = drain.find() ? Integer.parseInt(drain.group(1)) : DEFAULT_DRAIN_SECONDS;

        assertThat(drainSeconds + CamelHost.SHUTDOWN_SECONDS + EXIT_MARGIN_SECONDS)
                .isLessThanOrEqualTo(Integer.parseInt(grace.group(1)));
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
