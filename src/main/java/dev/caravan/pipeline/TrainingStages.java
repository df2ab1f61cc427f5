package dev.caravan.pipeline;

import dev.caravan.data.EncodedSplits;
import dev.caravan.data.Json;
import dev.caravan.data.LogTarget;
import dev.caravan.pipeline.PipelineStages.Trained;
import dev.caravan.registry.Artifact;
import dev.caravan.registry.Products;
import dev.caravan.spec.PipelineSpec;
import dev.caravan.spec.StageFactory;
import dev.caravan.train.CandidateSearch;
import dev.caravan.train.MlpArchitecture;
import dev.caravan.train.MlpTrainer;
import dev.caravan.train.Selection;
import dev.caravan.train.TaskShape;
import dev.caravan.train.TrainedCandidate;
import dev.caravan.train.TrainingReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The stages that train the candidates and select one: train, select. */
final class TrainingStages {
    private TrainingStages() {}

    static StageResult<Trained> train(RunState state) {
        EncodedSplits encoded = state.output(PipelineStages.TRANSFORM).encoded();
        TaskShape task = TaskShape.of(encoded.transform());
        Optional<LogTarget.Offer> log = LogTarget.of(encoded);
        StageFactory.CandidatePlan plan = state.factory()
                .candidates(
                        encoded.train().rows(), log.map(LogTarget.Offer::why).orElse(null));
        CandidateSearch.Result search;
        try (TrainingProgress progress =
                new TrainingProgress(state.factory().monitor().maximizes())) {
            search = state.factory()
                    .search(task, plan.strategy(), progress)
                    .run(
                            plan.candidates(),
                            new MlpTrainer.TrainingData(task, encoded.train(), encoded.validation()),
                            log.map(offer -> trainingData(offer.encoded())).orElse(null));
        }
        List<TrainedCandidate> trained = search.candidates();
        List<Products.Candidate> records = trained.stream()
                .map(candidate -> candidateRecord(candidate, search.decisions()))
                .toList();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("candidates", trained.size());
        metrics.put("search", search.summary());
        if (!plan.derived().isEmpty()) {
            metrics.put("derived", plan.derived());
        }
        metrics.put("device", trained.get(0).device());
        metrics.put(
                "epochs",
                trained.stream().mapToInt(TrainedCandidate::stoppedEpoch).sum());
        metrics.put(
                "seconds",
                trained.stream().mapToDouble(TrainedCandidate::seconds).sum());
        long rows = encoded.train().rows();
        return StageResult.of(
                        new Trained(trained, search.decisions(), search.summary()), rows, rows, metrics, List.of())
                .with(Products.NONE.withCandidates(records));
    }

    private static MlpTrainer.TrainingData trainingData(EncodedSplits encoded) {
        return new MlpTrainer.TrainingData(TaskShape.of(encoded.transform()), encoded.train(), encoded.validation());
    }

    private static Products.Candidate candidateRecord(TrainedCandidate c, List<CandidateSearch.Decision> decisions) {
        List<Map<String, Object>> rungs = decisions.stream()
                .filter(d -> d.candidate() == c.index())
                .map(d -> {
                    Map<String, Object> rung = new LinkedHashMap<>();
                    rung.put("rung", d.rung());
                    rung.put("epoch", d.epoch());
                    rung.put("value", d.value());
                    rung.put("promoted", d.promoted());
                    rung.put("reason", d.reason());
                    return rung;
                })
                .toList();
        List<Products.Epoch> epochs = c.history().stream()
                .map(e -> new Products.Epoch(
                        e.epoch(),
                        e.trainLoss(),
                        e.validationLoss(),
                        e.validationMetric(),
                        e.learningRate(),
                        e.seconds()))
                .toList();
        return new Products.Candidate(
                c.index(),
                Json.write(c.hyperparameters().asMap()),
                c.usable(),
                c.usable() ? c.bestEpoch() : null,
                c.stoppedEpoch(),
                c.stopReason(),
                c.usable() ? c.bestValidationLoss() : null,
                c.usable() ? c.bestValidationMetric() : null,
                c.device(),
                c.seconds(),
                Json.write(rungs),
                epochs);
    }

    static StageResult<Selection> select(RunState state) {
        PipelineSpec spec = state.spec();
        EncodedSplits encoded = state.output(PipelineStages.TRANSFORM).encoded();
        Trained trained = state.output(PipelineStages.TRAIN);
        Selection selection = state.factory()
                .selector()
                .select(
                        trained.candidates(),
                        encoded,
                        LogTarget.of(encoded).map(LogTarget.Offer::encoded).orElse(null));
        TrainedCandidate chosen = selection.chosen();
        Path dir = state.artifactDir();
        Artifact params = writeParameters(dir, selection.members());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", chosen.architecture());
        config.put("hyperparameters", chosen.hyperparameters().asMap());
        if (selection.members().size() > 1) {
            config.put(
                    "ensemble",
                    selection.members().stream()
                            .map(member -> new Member(
                                    member.index(),
                                    member.architecture(),
                                    member.hyperparameters().asMap()))
                            .toList());
        }
        config.put(
                "features",
                encoded.transform().features().stream().map(f -> f.name()).toList());
        Artifact modelConfig = ArtifactFiles.writeJson(Artifact.MODEL_CONFIG, dir.resolve("model.json"), config);
        Path reportFile = dir.resolve("report.html");
        TrainingReport.write(
                reportFile,
                spec.modelName() + " (run " + state.runId() + ")",
                selection,
                trained.search(),
                trained.decisions());
        Artifact report = ArtifactFiles.describe(Artifact.REPORT, reportFile);
        Products.Version version = new Products.Version(
                spec.modelName(),
                chosen.index(),
                state.output(PipelineStages.INGEST).profile().sha256(),
                Json.write(selection.testMetrics()),
                Json.write(selection.baseline()),
                Json.write(chosen.hyperparameters().asMap()),
                chosen.bestEpoch(),
                chosen.stoppedEpoch(),
                chosen.stopReason(),
                chosen.device());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("candidate", chosen.index());
        metrics.put(
                "members",
                selection.members().stream().map(TrainedCandidate::index).toList());
        metrics.put("ensemble", selection.ensemble());
        metrics.put("test", selection.testMetrics());
        metrics.put("baseline", selection.baseline());
        long rows = encoded.test().rows();
        return StageResult.of(selection, rows, rows, metrics, List.of(params, modelConfig, report))
                .with(Products.NONE.withModelVersion(version).withRunLog(runLog(selection)));
    }

    /** 1980-01-01, the earliest time a zip entry holds, as local time: no time zone enters the bytes. */
    private static final LocalDateTime FIXED_ZIP_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    /** An ensemble's member as model.json lists it. */
    private record Member(int candidate, MlpArchitecture architecture, Map<String, Object> hyperparameters) {}

    /** One model's DJL parameters as {@code model.params}; an ensemble's as {@code model.zip}, a file per member. */
    private static Artifact writeParameters(Path dir, List<TrainedCandidate> members) {
        if (members.size() == 1) {
            return ArtifactFiles.writeBytes(
                    Artifact.MODEL, dir.resolve("model.params"), members.get(0).parameters());
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (TrainedCandidate member : members) {
                ZipEntry entry = new ZipEntry("candidate-" + (member.index() + 1) + ".params");
                entry.setTimeLocal(FIXED_ZIP_TIME); // the same members make the same bytes, in any time zone
                out.putNextEntry(entry);
                out.write(member.parameters());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot zip the ensemble's parameters", e);
        }
        return ArtifactFiles.writeBytes(Artifact.MODEL, dir.resolve("model.zip"), zip.toByteArray());
    }

    /**
     * The run's flat metrics for registry queries: the chosen candidate's test metrics under their own names, its
     * validation loss as {@code val_loss}, and its hyperparameters as params.
     */
    private static Products.RunLog runLog(Selection selection) {
        Map<String, Double> metrics = new LinkedHashMap<>(selection.testMetrics());
        metrics.put("val_loss", selection.chosen().bestValidationLoss());
        metrics.put("val_metric", selection.chosen().bestValidationMetric());
        metrics.put("best_epoch", (double) selection.chosen().bestEpoch());
        Map<String, String> params = new LinkedHashMap<>();
        selection.chosen().hyperparameters().asMap().forEach((key, value) -> params.put(key, paramText(value)));
        return new Products.RunLog(metrics, params);
    }

    /** Lists as comma-separated values (hidden [64, 32] is "64,32"), so that filters can compare them as text. */
    private static String paramText(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }
}
