package dev.caravan.cli;

import static dev.caravan.testing.ModelRuns.blessed;
import static dev.caravan.testing.ModelRuns.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.data.Json;
import dev.caravan.registry.ModelQueries;
import dev.caravan.testing.ModelRuns;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code caravan models ...} against a registry seeded through the run store. */
class ModelsCommandTest extends CliTestBase {

    /** Version 1 blessed into champion (and deployed); version 2 rejected against it. */
    @BeforeEach
    void seed() {
        ModelRuns runs = new ModelRuns(db.registry());
        runs.register("churn", 0.90, blessed(0.90, null, null, "champion"), "churn:1");
        runs.register("churn", 0.85, rejected(0.85, 1, 0.90), null);
    }

    private ModelQueries registry() {
        return db.registry().models();
    }

    /** An answer of the registry as it reads back from printed JSON. */
    private static JsonNode printed(Object answer) {
        return Json.read(Json.write(answer));
    }

    @Test
    void listAndVersionsPrintOneJsonObject() {
        CliRunner.Result list = cli.run("models", "list", "--json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.json()).isEqualTo(printed(registry().list()));
        assertThat(list.json()
                        .get("models")
                        .get(0)
                        .get("aliases")
                        .get("champion")
                        .asInt())
                .isEqualTo(1);

        CliRunner.Result versions = cli.run("models", "versions", "churn", "--limit", "1", "--json");
        assertThat(versions.exitCode()).as(versions.err()).isZero();
        assertThat(versions.json().get("versions")).singleElement().satisfies(version -> {
            assertThat(version.get("version").asInt()).isEqualTo(2);
            assertThat(version.get("blessed").asBoolean()).isFalse();
        });
    }

    @Test
    void listAndVersionsPrintTables() {
        assertThat(cli.run("models", "list").out()).contains("MODEL", "churn", "champion=1");
        assertThat(cli.run("models", "versions", "churn").out()).contains("BLESSED", "r2 0.8500", "churn:1");
    }

    @Test
    void showPrintsTheBlessingDecisionWithItsReasonAndNumbers() {
        CliRunner.Result json = cli.run("models", "show", "churn:2", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.json()).isEqualTo(printed(registry().show("churn:2")));

        CliRunner.Result text = cli.run("models", "show", "churn:2");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out())
                .contains(
                        "churn:2",
                        "NOT BLESSED  r2 0.8500 against champion version 1's 0.9000: -0.0500 (-5.56%), higher is better",
                        "reason: r2 0.8500 against champion 1's 0.9000: -0.0500, below +0.0000 needed",
                        "int8: int8 loses 0.1% r2");
        assertThat(cli.run("models", "show", "churn@champion").out())
                .contains(
                        "churn:1  (champion)",
                        "BLESSED  r2 0.9000, no champion to compare with",
                        "deployed   churn:1 (tar, sha256:");
    }

    @Test
    void lineagePrintsTheRunItsStagesArtifactsAndDataset() {
        CliRunner.Result json = cli.run("models", "lineage", "churn:1", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode lineage = json.json();
        assertThat(lineage.get("dataset").get("sha256").asText()).isEqualTo(ModelRuns.DATASET_SHA256);
        assertThat(lineage.get("stages"))
                .extracting(stage -> stage.get("name").asText())
                .contains("transform", "select", "quantize");

        CliRunner.Result text = cli.run("models", "lineage", "churn:1");
        assertThat(text.out())
                .contains(lineage.get("run").get("runId").asText(), ModelRuns.DATASET_SHA256, "transform.json");
    }

    @Test
    void promoteRefusesAnUnblessedChampionAndForceRecordsTheOverride() {
        CliRunner.Result refused = cli.run("models", "promote", "churn:2", "--alias", "champion", "--by", "alice");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err())
                .contains("churn:2 cannot become champion because it is not blessed", "--force")
                .doesNotContain("\tat ");

        CliRunner.Result forced = cli.run(
                "models",
                "promote",
                "churn:2",
                "--alias",
                "champion",
                "--force",
                "--reason",
                "incident 42",
                "--by",
                "alice",
                "--json");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(forced.json().get("forced").asBoolean()).isTrue();

        CliRunner.Result history = cli.run("models", "history", "churn", "--alias", "champion", "--json");
        assertThat(history.exitCode()).as(history.err()).isZero();
        assertThat(history.json().get("current").asInt()).isEqualTo(2);
        assertThat(history.json().get("moves").get(0)).isEqualTo(forced.json());
        assertThat(history.json().get("moves").get(0).get("reason").asText()).isEqualTo("incident 42");
    }

    @Test
    void promoteNamesTheUserFromTheEnvironment() {
        CliRunner.Result anonymous = cli.run("models", "promote", "churn:1", "--alias", "staging");
        assertThat(anonymous.exitCode()).isEqualTo(2);
        assertThat(anonymous.err()).contains("$USER is not set");

        Map<String, String> environment = new HashMap<>(db.environment(dir.resolve("home")));
        environment.put("USER", "dora");
        CliRunner.Result promoted =
                new CliRunner(environment).run("models", "promote", "churn:1", "--alias", "staging");
        assertThat(promoted.exitCode()).as(promoted.err()).isZero();
        assertThat(promoted.out())
                .isEqualTo("churn@staging: new alias -> version 1, moved by dora: promoted by hand"
                        + System.lineSeparator());
    }

    @Test
    void historyPrintsATable() {
        cli.run("models", "promote", "churn:2", "--alias", "champion", "--force", "--by", "alice");

        CliRunner.Result history = cli.run("models", "history", "churn");
        assertThat(history.exitCode()).as(history.err()).isZero();
        assertThat(history.out()).contains("churn@champion points at version 2", "FORCED", "alice", "promoted by hand");
    }

    @Test
    void servingAModelWithoutAnExportIsNotFoundAndAPortInUseIsABadSetting() throws Exception {
        CliRunner.Result nothing = cli.run("serve", "--model", "fraud", "--port", "0");
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err().strip())
                .startsWith("error: model fraud has no deployable ONNX export in the registry")
                .doesNotContain("\tat ");
        try (ServerSocket taken = new ServerSocket(0)) {
            CliRunner.Result busyPort =
                    cli.run("serve", "--model", "churn", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(busyPort.exitCode()).isEqualTo(2);
            assertThat(busyPort.err()).startsWith("error: cannot listen on port " + taken.getLocalPort());
        }
    }

    @Test
    void badReferencesAreUsageErrors() {
        CliRunner.Result badVersion = cli.run("models", "show", "churn:x");
        assertThat(badVersion.exitCode()).isEqualTo(2);
        assertThat(badVersion.err()).contains("the version after ':' must be a number");
        CliRunner.Result unknown = cli.run("models", "lineage", "fraud@champion", "--json");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).contains("no model named 'fraud'");
        assertThat(cli.run("models", "versions").exitCode()).isEqualTo(2);
        assertThat(cli.run("models", "promote", "churn:1").exitCode())
                .as("--alias is required")
                .isEqualTo(2);
    }
}
