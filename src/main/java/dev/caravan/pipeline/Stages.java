package dev.caravan.pipeline;

import dev.caravan.clean.CleanResult;
import dev.caravan.clean.Cleaner;
import dev.caravan.data.ColumnProfile;
import dev.caravan.data.DatasetProfile;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.Split;
import dev.caravan.registry.Records.Artifact;
import dev.caravan.registry.Records.Candidate;
import dev.caravan.registry.Records.Dataset;
import dev.caravan.registry.Records.Epoch;
import dev.caravan.registry.Records.ModelVersionDraft;
import dev.caravan.registry.Records.Products;
import dev.caravan.registry.Records.RunLog;
import dev.caravan.train.Hyperparameters;
import dev.caravan.train.MlpTrainer;
import dev.caravan.train.ModelSelector;
import dev.caravan.train.Selection;
import dev.caravan.train.TaskShape;
import dev.caravan.train.TrainedCandidate;
import dev.caravan.train.TrainingReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of each stage: turns the spec into the stage's configuration, calls the stage package, keeps its
 * output in the {@link RunState} for the next stage, and says what to record.
 */
final class Stages {
    private Stages() {
    }

    static StageReport ingest(RunState state) {
        state.ingested = state.spec().ingestor().ingest();
        DatasetProfile profile = state.ingested.profile();
        state.ingested.table().column(state.spec().target); // an unknown target fails here, naming the columns
        List<Map<String, String>> schema = new ArrayList<>();
        for (ColumnProfile column : profile.columns()) {
            schema.add(Map.of("name", column.name(), "type", column.type().id()));
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("sha256", profile.sha256());
        metrics.put("bytes", profile.bytes());
        metrics.put("columns", profile.columns().size());
        metrics.put("badCells", state.ingested.table().badCells().values().stream().mapToInt(List::size).sum());
        Dataset dataset = new Dataset(profile.source(), profile.sha256(), profile.bytes(), profile.rows(),
                profile.columns().size(), Json.write(schema), Json.write(profile.columns()));
        return new StageReport(null, (long) profile.rows(), metrics, List.of()).with(Products.NONE.withDataset(dataset))
                .withCheckpoint(state.ingested);
    }

    static StageReport clean(RunState state) {
        Cleaner cleaner = new Cleaner(state.spec().cleaningPolicy());
        CleanResult result = cleaner.clean(state.ingested.table(), state.artifactDir().resolve("quarantine.csv"));
        state.cleaned = result;
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("quarantined", result.quarantined());
        metrics.put("quarantinedByReason", result.quarantinedByReason());
        metrics.put("imputed", result.imputed());
        List<Artifact> artifacts = result.quarantineFile() == null ? List.of()
                : List.of(ArtifactFiles.describe("quarantine", result.quarantineFile()));
        // the checkpoint leaves out the quarantine file's path, which differs per run, so that it hashes alike
        CleanResult checkpoint = new CleanResult(result.table(), result.rowsIn(), result.quarantinedByReason(),
                result.imputed(), null);
        return new StageReport((long) result.rowsIn(), (long) result.table().rowCount(), metrics, artifacts)
                .withCheckpoint(checkpoint);
    }

    static StageReport split(RunState state) {
        boolean stratify = state.spec().split.stratify != null ? state.spec().split.stratify : state.isClassification();
        Split split = state.spec().splitter().split(state.cleaned.table().column(state.spec().target), stratify);
        state.split = split;
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("train", split.train().length);
        metrics.put("validation", split.validation().length);
        metrics.put("test", split.test().length);
        metrics.put("seed", split.seed());
        metrics.put("stratified", split.stratified());
        return new StageReport((long) state.cleaned.table().rowCount(), (long) state.cleaned.table().rowCount(),
                metrics, List.of()).withCheckpoint(split);
    }

    static StageReport transform(RunState state) {
        EncodedSplits encoded = state.spec().transformFitter(state.isClassification(), state.cleaned.imputed())
                .fitAndEncode(state.cleaned.table(), state.split);
        state.encoded = encoded;
        Artifact artifact = ArtifactFiles.writeJson("transform", state.artifactDir().resolve("transform.json"),
                encoded.transform());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("task", encoded.transform().task());
        metrics.put("method", encoded.transform().method());
        metrics.put("inputs", encoded.transform().inputs().size());
        metrics.put("features", encoded.transform().featureCount());
        if (encoded.transform().isClassification()) {
            metrics.put("labels", encoded.transform().target().labels());
        }
        metrics.put("transformSha256", artifact.sha256());
        state.transformSha256 = artifact.sha256();
        long rows = (long) encoded.train().rows() + encoded.validation().rows() + encoded.test().rows();
        return new StageReport(rows, rows, metrics, List.of(artifact))
                .withCheckpoint(new RunState.Transformed(encoded, artifact.sha256()));
    }

    static StageReport train(RunState state) {
        PipelineSpec spec = state.spec();
        TaskShape task = TaskShape.of(state.encoded.transform());
        if (!task.classification() && spec.monitor().equals("val_accuracy")) {
            throw new ConfigException("training.monitor val_accuracy needs a classification target");
        }
        List<Hyperparameters> settings = spec.candidates();
        List<TrainedCandidate> trained = new ArrayList<>();
        try (TrainingProgress progress = new TrainingProgress(settings.size(), spec.training.maxEpochs)) {
            MlpTrainer trainer = spec.trainer(task, progress);
            for (int i = 0; i < settings.size(); i++) {
                trained.add(trainer.train(i, settings.get(i), state.encoded.train(), state.encoded.validation()));
            }
        }
        state.trained = trained;
        List<Candidate> records = trained.stream().map(Stages::candidateRecord).toList();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("candidates", trained.size());
        metrics.put("device", trained.get(0).device());
        metrics.put("epochs", trained.stream().mapToInt(TrainedCandidate::stoppedEpoch).sum());
        metrics.put("seconds", trained.stream().mapToDouble(TrainedCandidate::seconds).sum());
        long rows = state.encoded.train().rows();
        return new StageReport(rows, rows, metrics, List.of()).with(Products.NONE.withCandidates(records))
                .withCheckpoint(new ArrayList<>(trained));
    }

    private static Candidate candidateRecord(TrainedCandidate c) {
        List<Epoch> epochs = c.history().stream().map(e -> new Epoch(e.epoch(), e.trainLoss(), e.validationLoss(),
                e.validationMetric(), e.learningRate(), e.seconds())).toList();
        return new Candidate(c.index(), Json.write(c.hyperparameters().asMap()), c.usable(),
                c.usable() ? c.bestEpoch() : null, c.stoppedEpoch(), c.stopReason(),
                c.usable() ? c.bestValidationLoss() : null, c.usable() ? c.bestValidationMetric() : null, c.device(),
                c.seconds(), epochs);
    }

    static StageReport select(RunState state) {
        PipelineSpec spec = state.spec();
        Selection selection = new ModelSelector(spec.monitor()).select(state.trained, state.encoded);
        state.selection = selection;
        TrainedCandidate chosen = selection.chosen();
        Path dir = state.artifactDir();
        Artifact params = ArtifactFiles.writeBytes("model", dir.resolve("model.params"), selection.model().parameters());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", chosen.architecture());
        config.put("hyperparameters", chosen.hyperparameters().asMap());
        config.put("features", state.encoded.transform().features().stream().map(f -> f.name()).toList());
        Artifact modelConfig = ArtifactFiles.writeJson("model-config", dir.resolve("model.json"), config);
        Path reportFile = dir.resolve("report.html");
        TrainingReport.write(reportFile, spec.modelName() + " (run " + state.runId() + ")", selection);
        Artifact report = ArtifactFiles.describe("report", reportFile);
        ModelVersionDraft version = new ModelVersionDraft(spec.modelName(), chosen.index(),
                state.ingested.profile().sha256(), "model", Json.write(selection.testMetrics()),
                Json.write(selection.baseline()), Json.write(chosen.hyperparameters().asMap()), chosen.bestEpoch(),
                chosen.stoppedEpoch(), chosen.stopReason(), chosen.device());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("candidate", chosen.index());
        metrics.put("test", selection.testMetrics());
        metrics.put("baseline", selection.baseline());
        long rows = state.encoded.test().rows();
        return new StageReport(rows, rows, metrics, List.of(params, modelConfig, report))
                .with(Products.NONE.withModelVersion(version).withRunLog(runLog(selection)))
                .withCheckpoint(selection);
    }

    /**
     * The run's flat metrics for registry queries: the chosen candidate's test metrics under their own names,
     * its validation loss as {@code val_loss}, and its hyperparameters as params.
     */
    private static RunLog runLog(Selection selection) {
        Map<String, Double> metrics = new LinkedHashMap<>(selection.testMetrics());
        metrics.put("val_loss", selection.chosen().bestValidationLoss());
        metrics.put("val_metric", selection.chosen().bestValidationMetric());
        metrics.put("best_epoch", (double) selection.chosen().bestEpoch());
        Map<String, String> params = new LinkedHashMap<>();
        selection.chosen().hyperparameters().asMap().forEach((key, value) -> params.put(key, paramText(value)));
        return new RunLog(metrics, params);
    }

    /** Lists as comma-separated values (hidden [64, 32] is "64,32"), so that filters can compare them as text. */
    private static String paramText(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }
}
