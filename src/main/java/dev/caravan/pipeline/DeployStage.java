package dev.caravan.pipeline;

import dev.caravan.data.EnumNames;
import dev.caravan.deploy.BuiltImage;
import dev.caravan.deploy.DeployTarget;
import dev.caravan.deploy.ImageBuilder;
import dev.caravan.registry.Records.Artifact;
import dev.caravan.registry.Records.Deployment;
import dev.caravan.registry.Records.Products;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The deploy stage: an image of the model server holding the ONNX file the quantize gate chose. */
final class DeployStage {
    private DeployStage() {
    }

    static StageReport deploy(RunState state) {
        PipelineSpec spec = state.spec();
        DeployTarget target = spec.deployTarget();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("target", EnumNames.id(target));
        if (!state.store().blessed(state.runId())) {
            metrics.put("reason", "version " + state.modelVersion + " was not blessed (see the bless stage)");
            return new StageReport(null, null, metrics, List.of());
        }
        if (target == DeployTarget.NONE) {
            metrics.put("reason", "deploy.target is none");
            return new StageReport(null, null, metrics, List.of());
        }
        Path model = state.deployableModel;
        String image = spec.deploy.image.replace("{model}", spec.modelName())
                .replace("{version}", String.valueOf(state.modelVersion)).toLowerCase(Locale.ROOT);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("dev.caravan.model.name", spec.modelName());
        labels.put("dev.caravan.model.version", String.valueOf(state.modelVersion));
        labels.put("dev.caravan.run_id", state.runId().toString());
        labels.put("dev.caravan.model.sha256", ArtifactFiles.sha256(model));
        labels.put("org.opencontainers.image.title", "caravan model server: " + spec.modelName());
        BuiltImage built = ImageBuilder.builder().setBaseImage(spec.deploy.baseImage).setImage(image).setTarget(target)
                .setModelFile(model).setWorkDir(state.artifactDir().resolve("image")).optPort(spec.deploy.port)
                .optLabels(labels).optAllowInsecureRegistries(spec.deploy.insecureRegistry).build().build();
        metrics.put("image", built.reference());
        metrics.put("digest", built.digest());
        List<Artifact> artifacts = built.tarFile() == null ? List.of()
                : List.of(ArtifactFiles.describe("image", Path.of(built.tarFile())));
        Deployment deployment = new Deployment(EnumNames.id(target), built.reference(), built.digest(),
                built.imageId(), built.tarFile(), "DEPLOYED");
        return new StageReport(null, null, metrics, artifacts).with(Products.NONE.withDeployment(deployment));
    }
}
