package dev.caravan.pipeline;

import dev.caravan.clean.CleanResult;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.Split;
import dev.caravan.ingest.IngestResult;
import dev.caravan.spec.StageFactory;
import dev.caravan.train.CandidateSearch;
import dev.caravan.train.Selection;
import dev.caravan.train.TrainedCandidate;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The stages in order: the one definition that the route ({@code routes/pipeline.yaml} is checked against it at
 * start-up), resume, the step cache, the run state and the run report all follow. Adding a stage is a constant
 * here, in {@link #ALL}, plus its entry in the route.
 */
final class PipelineStages {
    /** What transform hands on: the encoded splits and the sha256 of transform.json. */
    record Transformed(EncodedSplits encoded, String transformSha256) implements Serializable {}

    /** What train hands on: every candidate, usable or not, the search's rung decisions and its summary. */
    record Trained(List<TrainedCandidate> candidates, List<CandidateSearch.Decision> decisions, String search)
            implements Serializable {}

    /** What export hands on: the FP32 ONNX model. */
    record Exported(byte[] fp32Model) implements Serializable {}

    /** What quantize hands on: the ONNX file the gate chose and its test metrics, which blessing compares. */
    record Quantized(String deployableModel, Map<String, Double> metrics) implements Serializable {}

    static final Stage<Void> VALIDATE = new Stage<>("validate", Void.class, DataStages::validate, null);
    static final Stage<IngestResult> INGEST =
            new Stage<>("ingest", IngestResult.class, DataStages::ingest, spec -> spec.data);
    static final Stage<CleanResult> CLEAN = new Stage<>(
            "clean",
            CleanResult.class,
            DataStages::clean,
            spec -> Arrays.asList(spec.cleaning, spec.target, spec.task));
    static final Stage<Split> SPLIT = new Stage<>(
            "split", Split.class, DataStages::split, spec -> Arrays.asList(spec.split, spec.target, spec.task));
    static final Stage<Transformed> TRANSFORM = new Stage<>(
            "transform",
            Transformed.class,
            DataStages::transform,
            spec -> Arrays.asList(spec.transform, spec.target, spec.task));
    static final Stage<Trained> TRAIN = new Stage<>(
            "train",
            Trained.class,
            TrainingStages::train,
            spec -> Arrays.asList(
                    spec.training,
                    spec.target,
                    spec.task,
                    new StageFactory(spec).device().toString()));
    static final Stage<Selection> SELECT = new Stage<>("select", Selection.class, TrainingStages::select, null);
    static final Stage<Exported> EXPORT = new Stage<>("export", Exported.class, ExportStages::export, null);
    static final Stage<Quantized> QUANTIZE = new Stage<>("quantize", Quantized.class, ExportStages::quantize, null);
    static final Stage<Void> BLESS = new Stage<>("bless", Void.class, ReleaseStages::bless, null);
    static final Stage<Void> DEPLOY = new Stage<>("deploy", Void.class, ReleaseStages::deploy, null);

    /** The order the stages run in. */
    static final List<Stage<?>> ALL =
            List.of(VALIDATE, INGEST, CLEAN, SPLIT, TRANSFORM, TRAIN, SELECT, EXPORT, QUANTIZE, BLESS, DEPLOY);

    private PipelineStages() {}

    /** Whether {@code stage} runs before {@code other}, or is it. */
    static boolean notAfter(Stage<?> stage, Stage<?> other) {
        return ALL.indexOf(stage) <= ALL.indexOf(other);
    }
}
