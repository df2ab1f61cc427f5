package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.testing.TinyPipeline;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** caravan server refuses to start on bad input, naming what is wrong; nothing is left listening. */
class ServerCommandTest extends CliTestBase {

    /** A token that is no secret refuses the start, naming the variable and the fault, never echoing the value. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "blank|'  '|CARAVAN_API_TOKEN is set but empty-looking",
                "quotes|'\"\"'|CARAVAN_API_TOKEN is set but empty-looking",
                "placeholder|'${CARAVAN_API_TOKEN:-}'|CARAVAN_API_TOKEN holds an unsubstituted placeholder",
                "short|'hunter2'|CARAVAN_API_TOKEN is 7 characters long; a token needs at least 16"
            })
    void aTokenThatIsNoSecretRefusesTheStart(String name, String token, String message) {
        Map<String, String> environment = new HashMap<>(db.environment(dir.resolve("home")));
        environment.put("CARAVAN_API_TOKEN", token);
        Path spec = TinyPipeline.write(dir, "tiny");

        CliRunner.Result result = new CliRunner(environment).run("server", "--pipeline", spec.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(message);
        if (!token.isBlank()) {
            assertThat(result.err()).doesNotContain(token);
        }
    }

    @Test
    void aBadScheduleFailsAtStartNamingTheFile() {
        Path spec = TinyPipeline.write(dir, "nightly", "schedule: \"at three\"");

        CliRunner.Result result = cli.run("server", "--pipeline", spec.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("error: " + spec + ": schedule 'at three' is not a Quartz cron expression");
    }

    @Test
    void aBadSettingFailsAtStartNamingTheFile() {
        Path spec = TinyPipeline.write(dir, "broken", "task: forecasting");

        CliRunner.Result result = cli.run("server", "--pipeline", spec.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains(spec + " line 12: unknown task 'forecasting' (expected regression or" + " classification)");
    }

    @Test
    void aTakenPortFailsAtStartAndSaysWhich() throws Exception {
        Path spec = TinyPipeline.write(dir, "tiny");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRunner.Result result =
                    cli.run("server", "--pipeline", spec.toString(), "--port", String.valueOf(taken.getLocalPort()));

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err()).contains("the REST API cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void twoSpecsWithOneNameAndAnEmptyFolderAreRefused() throws Exception {
        Path first = TinyPipeline.write(Files.createDirectories(dir.resolve("a")), "same");
        Path second = TinyPipeline.write(Files.createDirectories(dir.resolve("b")), "same");
        Path empty = Files.createDirectories(dir.resolve("empty"));

        CliRunner.Result clash = cli.run("server", "--pipeline", first.toString(), "--pipeline", second.toString());
        CliRunner.Result none = cli.run("server", "--pipelines", empty.toString());

        assertThat(clash.exitCode()).isEqualTo(2);
        assertThat(clash.err()).contains("pipeline name 'same' is used by both " + first + " and " + second);
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err())
                .contains("no pipelines: give --pipeline FILE.yaml or --pipelines DIR (" + empty
                        + " holds no *.yaml file)");
    }
}
