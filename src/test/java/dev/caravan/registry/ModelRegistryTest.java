package dev.caravan.registry;

import static dev.caravan.testing.ModelRuns.blessed;
import static dev.caravan.testing.ModelRuns.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.data.CaravanException;
import dev.caravan.data.Json;
import dev.caravan.registry.entity.StoredArtifact;
import dev.caravan.testing.ModelRuns;
import dev.caravan.testing.ModelRuns.Registered;
import dev.caravan.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {
    private final TestDatabase db = TestDatabase.create();
    private final ModelRuns runs = new ModelRuns(db.registry());
    private final Answers registry = new Answers(db.registry());

    /** The model registry's answers as the JSON that the CLI and the REST API print. */
    private record Answers(Registry registry) {
        JsonNode promote(String reference, String alias, boolean force, String movedBy, String reason) {
            return Json.tree(registry.versions().promote(reference, alias, force, movedBy, reason));
        }

        JsonNode show(String reference) {
            return Json.tree(registry.models().show(reference));
        }

        JsonNode lineage(String reference) {
            return Json.tree(registry.models().lineage(reference));
        }

        JsonNode aliasHistory(String name, String alias) {
            return Json.tree(registry.models().aliasHistory(name, alias));
        }

        JsonNode list() {
            return Json.tree(registry.models().list());
        }

        JsonNode versions(String name, int limit) {
            return Json.tree(registry.models().versions(name, limit, 0));
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Version 1 blessed into champion by its run; version 2 rejected against it. */
    private void championAndChallenger() {
        runs.register("churn", 0.90, blessed(0.90, null, null, "champion"), "churn:1");
        runs.register("churn", 0.85, rejected(0.85, 1, 0.90), null);
    }

    @Test
    void anUnblessedVersionIsRefusedAsChampionWithoutForce() {
        championAndChallenger();

        assertThatThrownBy(() -> registry.promote("churn:2", "champion", false, "alice", "hotfix"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("churn:2")
                .hasMessageContaining("not blessed: r2 0.8500 against champion 1's 0.9000")
                .hasMessageContaining("--force");
        assertThat(registry.show("churn@champion").get("version").asInt()).isEqualTo(1);
        assertThat(db.count("select count(*) from model_alias_history")).isEqualTo(1);
    }

    @Test
    void forceMakesAnUnblessedVersionChampionAndTheHistorySaysSo() {
        championAndChallenger();

        JsonNode move = registry.promote("churn:2", "champion", true, "alice", "rollback of the feature store");

        assertThat(move.get("from").asInt()).isEqualTo(1);
        assertThat(move.get("to").asInt()).isEqualTo(2);
        assertThat(move.get("forced").asBoolean()).isTrue();
        assertThat(registry.show("churn@champion").get("version").asInt()).isEqualTo(2);
        JsonNode latest =
                registry.aliasHistory("churn", "champion").get("moves").get(0);
        assertThat(latest).isEqualTo(move);
        assertThat(latest.get("movedBy").asText()).isEqualTo("alice");
        assertThat(latest.get("reason").asText()).isEqualTo("rollback of the feature store");
        assertThat(db.count("select count(*) from model_alias_history where forced"))
                .isEqualTo(1);
    }

    @Test
    void aVersionTheGateNeverEvaluatedIsRefusedAsChampion() {
        runs.register("churn", 0.90, null, null);

        assertThatThrownBy(() -> registry.promote("churn:1", "champion", false, "alice", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("churn:1 cannot become champion because the blessing gate never evaluated it")
                .hasMessageContaining("--force");
    }

    @Test
    void aBlessedVersionIsPromotedWithoutForce() {
        runs.register("churn", 0.90, blessed(0.90, null, null, null), null);

        JsonNode move = registry.promote("churn:1", "champion", false, "bob", null);

        assertThat(move.get("from").isNull()).isTrue();
        assertThat(move.get("to").asInt()).isEqualTo(1);
        assertThat(move.get("forced").asBoolean()).isFalse();
        assertThat(move.get("reason").asText()).isEqualTo("promoted by hand");
        assertThat(registry.aliasHistory("churn", "champion").get("current").asInt())
                .isEqualTo(1);
    }

    @Test
    void otherAliasesNeedNoBlessing() {
        runs.register("churn", 0.90, null, null);

        JsonNode move = registry.promote("churn", "staging", false, "carol", "smoke test");

        assertThat(move.get("alias").asText()).isEqualTo("staging");
        assertThat(move.get("forced").asBoolean()).isFalse();
        assertThat(registry.show("churn@staging").get("aliases"))
                .extracting(JsonNode::asText)
                .containsExactly("staging");
    }

    @Test
    void promotingToTheVersionAlreadyThereIsRefused() {
        championAndChallenger();

        assertThatThrownBy(() -> registry.promote("churn:1", "champion", true, "alice", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("churn@champion already points at version 1; nothing to move");
        assertThat(db.count("select count(*) from model_alias_history")).isEqualTo(1);
    }

    @Test
    void unknownModelsVersionsAndAliasesAreClearErrors() {
        championAndChallenger();

        assertThatThrownBy(() -> registry.show("fraud:1"))
                .isInstanceOf(CaravanException.class)
                .hasMessage("no model named 'fraud' (models: churn)");
        assertThatThrownBy(() -> registry.show("churn:9"))
                .isInstanceOf(CaravanException.class)
                .hasMessage("model churn has no version 9; its newest is 2");
        assertThatThrownBy(() -> registry.lineage("churn@prod"))
                .isInstanceOf(CaravanException.class)
                .hasMessage("model churn has no alias 'prod' (its aliases: champion)")
                .extracting(e -> ((CaravanException) e).kind())
                .isEqualTo(CaravanException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> registry.aliasHistory("churn", "prod"))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("has no alias 'prod'");
        assertThatThrownBy(() -> registry.promote("churn:2", "bad alias", false, "alice", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bad alias' is not a valid alias");
        assertThatThrownBy(() -> registry.promote("churn:2", "a/b", false, "alice", null))
                .as("the rule a blessing spec's alias follows")
                .hasMessage("'a/b' is not a valid alias: an alias must start with a letter or digit and hold only"
                        + " letters, digits, '.', '_' and '-'");
        assertThatThrownBy(() -> registry.promote("churn:2", "staging", false, " ", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("who moves the alias");
        assertThatThrownBy(() -> registry.versions("churn", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.versions("churn", Integer.MAX_VALUE))
                .as("no overflow into a negative LIMIT")
                .hasMessage("limit must be 1 to 10000, not 2147483647");
    }

    @Test
    void theAliasHistoryListsEveryMoveNewestFirst() {
        Registered first = runs.register("churn", 0.90, blessed(0.90, null, null, "champion"), null);
        Registered second = runs.register("churn", 0.92, blessed(0.92, 1, 0.90, "champion"), null);
        registry.promote("churn:1", "champion", false, "bob", "version 2 misbehaves in production");

        JsonNode history = registry.aliasHistory("churn", "champion");

        assertThat(history.get("current").asInt()).isEqualTo(1);
        JsonNode moves = history.get("moves");
        assertThat(moves)
                .extracting(move ->
                        move.get("from").isNull() ? null : move.get("from").asInt())
                .containsExactly(2, 1, null);
        assertThat(moves).extracting(move -> move.get("to").asInt()).containsExactly(1, 2, 1);
        assertThat(moves)
                .extracting(move -> move.get("movedBy").asText())
                .containsExactly("bob", "run " + second.runId(), "run " + first.runId());
        assertThat(moves.get(1).get("reason").asText()).startsWith("r2 0.9200 against champion 1's 0.9000");
    }

    @Test
    void lineageFollowsAVersionToItsRunStagesArtifactsAndDataset() {
        runs.register("churn", 0.90, null, null);
        Registered second = runs.register("churn", 0.91, blessed(0.91, null, null, "champion"), "churn:2");

        JsonNode lineage = registry.lineage("churn:2");

        assertThat(lineage.get("version").asInt()).isEqualTo(2);
        assertThat(lineage.get("run").get("runId").asText())
                .isEqualTo(second.runId().toString());
        assertThat(lineage.get("run").get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode stages = lineage.get("stages");
        assertThat(stages)
                .extracting(stage -> stage.get("name").asText())
                .containsExactly("ingest", "transform", "select", "bless", "export", "quantize", "deploy");
        assertThat(stages)
                .allSatisfy(
                        stage -> assertThat(stage.get("cachedFromRun").isNull()).isTrue());
        List<String> listed = new ArrayList<>();
        stages.forEach(stage -> stage.get("artifacts")
                .forEach(artifact -> listed.add(stage.get("name").asText()
                        + " " + artifact.get("kind").asText() + " "
                        + artifact.get("path").asText() + " "
                        + artifact.get("sha256").asText())));
        List<StoredArtifact> recorded =
                db.registry().runQueries().detail(second.runId()).orElseThrow().artifacts();
        assertThat(listed)
                .containsExactlyElementsOf(recorded.stream()
                        .map(artifact -> artifact.stage() + " " + artifact.kind() + " " + artifact.path() + " "
                                + artifact.sha256())
                        .toList());
        String transform = "/runs/" + second.runId() + "/transform.json";
        assertThat(stages.get(1).get("artifacts")).singleElement().satisfies(artifact -> assertThat(
                        artifact.get("sha256").asText())
                .isEqualTo(ModelRuns.sha256(transform)));
        JsonNode dataset = lineage.get("dataset");
        assertThat(dataset.get("sha256").asText()).isEqualTo(ModelRuns.DATASET_SHA256);
        assertThat(dataset.get("source").asText()).isEqualTo(ModelRuns.DATASET_SOURCE);
        assertThat(dataset.get("rows").asLong()).isEqualTo(100);
    }

    @Test
    void showByAliasAndByVersionDescribeTheSameVersion() {
        championAndChallenger();

        JsonNode byAlias = registry.show("churn@champion");

        assertThat(byAlias).isEqualTo(registry.show("churn:1"));
        assertThat(byAlias.get("blessed").asBoolean()).isTrue();
        assertThat(byAlias.get("blessing").get("reason").asText()).isEqualTo("no champion to compare with");
        assertThat(byAlias.get("export").get("chosen").asText()).isEqualTo("int8");
        assertThat(byAlias.get("export").get("reason").asText()).contains("2.1x faster");
        assertThat(byAlias.get("deployment").get("image").asText()).isEqualTo("churn:1");
        assertThat(byAlias.get("aliasHistory"))
                .singleElement()
                .satisfies(move -> assertThat(move.get("to").asInt()).isEqualTo(1));
        JsonNode challenger = registry.show("churn");
        assertThat(challenger.get("version").asInt())
                .as("a plain name is the newest version")
                .isEqualTo(2);
        JsonNode blessing = challenger.get("blessing");
        assertThat(blessing.get("blessed").asBoolean()).isFalse();
        assertThat(blessing.get("championVersion").asInt()).isEqualTo(1);
        assertThat(blessing.get("championValue").asDouble()).isEqualTo(0.90);
        assertThat(blessing.get("absoluteChange").asDouble()).isCloseTo(-0.05, within(1e-9));
        assertThat(challenger.get("deployment").isNull()).isTrue();
    }

    @Test
    void listAndVersionsSummarizeTheRegistry() {
        championAndChallenger();
        runs.register("churn", 0.80, null, null);
        runs.register("fraud", 0.70, null, null);

        JsonNode models = registry.list().get("models");
        assertThat(models).extracting(model -> model.get("name").asText()).containsExactly("churn", "fraud");
        assertThat(models.get(0).get("versionCount").asInt()).isEqualTo(3);
        assertThat(models.get(0).get("latestVersion").asInt()).isEqualTo(3);
        assertThat(models.get(0).get("aliases").get("champion").asInt()).isEqualTo(1);
        assertThat(models.get(1).get("aliases").isEmpty()).isTrue();

        JsonNode versions = registry.versions("churn", 10).get("versions");
        assertThat(versions)
                .extracting(version -> version.get("version").asInt())
                .containsExactly(3, 2, 1);
        assertThat(versions)
                .extracting(version -> version.get("blessed").isNull()
                        ? null
                        : version.get("blessed").asBoolean())
                .containsExactly(null, false, true);
        assertThat(versions.get(2).get("aliases")).extracting(JsonNode::asText).containsExactly("champion");
        assertThat(versions.get(2).get("precision").asText()).isEqualTo("int8");
        assertThat(versions.get(2).get("image").asText()).isEqualTo("churn:1");
        assertThat(versions.get(0).get("metrics").get("r2").asDouble()).isEqualTo(0.80);
        assertThat(registry.versions("churn", 1).get("versions")).hasSize(1);
    }

    @Test
    void versionsComeInPagesNewestFirst() {
        championAndChallenger();
        runs.register("churn", 0.80, null, null);
        ModelQueries models = db.registry().models();

        var first = models.versions("churn", 2, 0);
        var second = models.versions("churn", 2, first.nextOffset());

        assertThat(first.versions()).extracting(version -> version.version()).containsExactly(3, 2);
        assertThat(first.nextOffset()).isEqualTo(2);
        assertThat(second.versions()).extracting(version -> version.version()).containsExactly(1);
        assertThat(second.nextOffset()).isNull();
    }
}
