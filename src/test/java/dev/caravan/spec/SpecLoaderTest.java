package dev.caravan.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.clean.MissingStrategy;
import dev.caravan.data.CaravanException;
import dev.caravan.data.Json;
import dev.caravan.data.Names;
import dev.caravan.testing.Csv;
import dev.caravan.train.DeviceSelector;
import dev.caravan.train.Monitor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specs load typed: enum settings in any case, clear errors for unknown ones, and names that references can hold. */
class SpecLoaderTest {
    @TempDir
    Path dir;

    private PipelineSpec load(String... lines) {
        return SpecLoader.load(Csv.write(dir, "spec.yaml", lines));
    }

    @Test
    void enumSettingsReadInAnyCase() {
        PipelineSpec spec = load(
                "name: p",
                "training:",
                "  device: GPU",
                "  monitor: val_accuracy",
                "cleaning:",
                "  missing: Mean",
                "  perColumn:",
                "    x: drop");

        assertThat(spec.training.device).isEqualTo(DeviceSelector.Choice.GPU);
        assertThat(spec.training.monitor).isEqualTo(Monitor.VAL_ACCURACY);
        assertThat(spec.cleaning.missing).isEqualTo(MissingStrategy.MEAN);
        assertThat(spec.cleaning.perColumn).containsEntry("x", MissingStrategy.DROP);
    }

    @Test
    void anUnknownEnumValueNamesTheLineTheSettingAndTheChoices() {
        assertThatThrownBy(() -> load("name: p", "training:", "  device: tpu"))
                .isInstanceOf(CaravanException.class)
                .hasMessageEndingWith(
                        "spec.yaml line 3: unknown device 'tpu' at training.device (expected auto, cpu or" + " gpu)");
        assertThatThrownBy(() -> load("cleaning:", "  perColumn:", "    income: average"))
                .hasMessageEndingWith("line 3: unknown perColumn 'average' at cleaning.perColumn.income (expected drop,"
                        + " mean, median or mode)");
    }

    @Test
    void namesMustBeWritableInModelReferences() {
        assertThatThrownBy(() -> load("name: my pipeline"))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("name 'my pipeline' must start with a letter or digit")
                .extracting(e -> ((CaravanException) e).kind())
                .isEqualTo(CaravanException.Kind.BAD_SETTING);
        assertThatThrownBy(() -> load("name: p", "model:", "  name: churn:2"))
                .hasMessageContaining("model.name 'churn:2'");
        assertThatThrownBy(() -> load("name: \"-p\"")).hasMessageContaining("name '-p'");
        assertThat(load("name: credit-model_v2.1").modelName()).isEqualTo("credit-model_v2.1");
        assertThat(Names.from("my data (2)")).isEqualTo("my-data--2-");
        assertThat(Names.from("(x)")).isEqualTo("x-");
    }

    @Test
    void theShippedPipelinesLoadAndValidate() {
        PipelineCatalog shipped = PipelineCatalog.load(List.of(), Path.of("pipelines"));

        assertThat(shipped.all()).extracting(PipelineCatalog.Entry::name).contains("credit-example");
    }

    @Test
    void aRecordedSpecReadsBackAsItWas() {
        PipelineSpec spec =
                load("name: p", "task: classification", "training:", "  optimizer: sgd", "deploy:", "  target: tar");

        PipelineSpec again = SpecLoader.fromJson(Json.write(spec));

        assertThat(again).usingRecursiveComparison().isEqualTo(spec);
    }

    /** A spec that deploys with insecureRegistry; validate() checks everything but data and device. */
    private void validateDeploy(String target, String image, String baseImage) {
        Csv.write(dir, "d.csv", "x,y", "1,2");
        new StageFactory(load(
                        "name: p",
                        "data:",
                        "  path: d.csv",
                        "target: y",
                        "training:",
                        "  device: cpu",
                        "deploy:",
                        "  target: " + target,
                        "  image: " + image,
                        "  baseImage: " + baseImage,
                        "  insecureRegistry: true"))
                .validate();
    }

    @Test
    void insecureRegistryIsOffByDefaultAndOnlyForRegistriesOnThisMachine() {
        assertThat(load("name: p").deploy.insecureRegistry).isFalse();
        validateDeploy("registry", "127.0.0.1:5000/caravan/{model}:{version}", "tar:///tmp/jre.tar");
        validateDeploy("registry", "localhost:5000/m:{version}", "registry://localhost:5000/jre:17");

        assertThatThrownBy(() -> validateDeploy("registry", "registry.example.com/m:{version}", "tar:///tmp/j.tar"))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("but deploy.image's registry registry.example.com is not one");
        assertThatThrownBy(() -> validateDeploy("tar", "caravan/m:1", "registry://eclipse-temurin:17-jre"))
                .as("never for a base image from elsewhere")
                .hasMessageContaining("but deploy.baseImage's registry registry-1.docker.io is not one");
    }
}
