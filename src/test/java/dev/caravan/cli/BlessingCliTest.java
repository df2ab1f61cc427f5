package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The evaluation gate through the whole pipeline: the champion re-scored on the new run's test split. */
class BlessingCliTest extends CliTestBase {
    private JsonNode run(Path spec) {
        CliRunner.Result result = cli.run("run", "--pipeline", spec.toString(), "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result.json();
    }

    private long championVersion() {
        return db.count("select v.version from model_aliases a join model_versions v on v.id = a.model_version_id"
                + " where a.model_name = 'linear-model' and a.alias = 'champion'");
    }

    @Test
    void theFirstVersionIsBlessedAndBecomesChampionWithAHistoryRow() {
        JsonNode run = run(LinearPipeline.quickSpec(dir));

        JsonNode blessing = run.get("blessing");
        assertThat(blessing.get("blessed").asBoolean()).isTrue();
        assertThat(blessing.get("metric").asText()).isEqualTo("rmse");
        assertThat(blessing.get("reason").asText()).startsWith("blessed: no champion yet (rmse ");
        assertThat(championVersion()).isEqualTo(1);
        assertThat(db.count("select count(*) from model_alias_history where alias = 'champion'"
                        + " and from_version_id is null and moved_by = 'run "
                        + run.get("runId").asText() + "'"))
                .isEqualTo(1);
        assertThat(cli.run("runs", "show", run.get("runId").asText()).out()).contains("bless     blessed: no champion");
    }

    @Test
    void aWorseModelIsNotBlessedKeepsTheChampionAndIsNotDeployed() {
        JsonNode first = run(LinearPipeline.quickSpec(dir));
        JsonNode firstOnnx = first.get("onnx");
        double championRmse = firstOnnx
                .get(firstOnnx.get("chosen").asText())
                .get("metrics")
                .get("rmse")
                .asDouble();

        // one epoch at a tiny learning rate: far from the champion on the same (cached) test split
        JsonNode second = run(LinearPipeline.spec(
                dir, "training:", "  maxEpochs: 1", "  candidates:", "    learningRate: [0.00001]"));

        JsonNode blessing = second.get("blessing");
        assertThat(blessing.get("blessed").asBoolean()).isFalse();
        assertThat(blessing.get("championVersion").asInt()).isEqualTo(1);
        assertThat(blessing.get("championValue").asDouble())
                .as("the champion re-scored on the same test rows")
                .isCloseTo(championRmse, within(1e-6));
        assertThat(blessing.get("candidateValue").asDouble()).isGreaterThan(championRmse);
        assertThat(blessing.get("reason").asText())
                .startsWith("not blessed: rmse ")
                .contains("against champion v1's", "(lower is better)", "required at least +0.00000");
        assertThat(championVersion()).isEqualTo(1);
        assertThat(db.count("select count(*) from model_blessings b join model_versions v on v.id = b.model_version_id"
                        + " where v.version = 2 and not b.blessed and b.champion_version_id is not null"
                        + " and b.relative_change < 0 and b.reason like 'not blessed: rmse %'"))
                .isEqualTo(1);
        JsonNode deploy = second.get("stages").get(second.get("stages").size() - 1);
        assertThat(deploy.get("metrics").get("reason").asText())
                .isEqualTo("version 2 was not blessed (see the bless stage)");
    }

    @Test
    void aMarginTheNewVersionCannotMeetRejectsItWithTheNumbers() {
        run(LinearPipeline.quickSpec(dir));
        JsonNode second = run(LinearPipeline.quickSpec(dir, "blessing:", "  metric: r2", "  minRelativeChange: 0.5"));

        JsonNode blessing = second.get("blessing");
        assertThat(blessing.get("blessed").asBoolean()).isFalse();
        assertThat(blessing.get("reason").asText())
                .startsWith("not blessed: r2 ")
                .contains("(higher is better)", "required at least +0.00000 and +50.000%");
        assertThat(championVersion()).isEqualTo(1);
    }

    @Test
    void anUnknownBlessingMetricFailsAtValidate() {
        CliRunner.Result result = cli.run(
                "run",
                "--pipeline",
                LinearPipeline.quickSpec(dir, "blessing:", "  metric: f1").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("blessing.metric 'f1' is unknown (expected one of rmse, mae, r2");
    }
}
