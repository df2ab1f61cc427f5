package dev.caravan.pipeline;

import dev.caravan.clean.CleanResult;
import dev.caravan.clean.Cleaner;
import dev.caravan.data.ColumnProfile;
import dev.caravan.data.DatasetProfile;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.Json;
import dev.caravan.data.Split;
import dev.caravan.ingest.IngestResult;
import dev.caravan.pipeline.PipelineStages.Transformed;
import dev.caravan.registry.Artifact;
import dev.caravan.registry.Products;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stages that check the spec and prepare the data: validate, ingest, clean, split, transform. */
final class DataStages {
    private DataStages() {}

    static StageResult<Void> validate(RunState state) {
        state.factory().validate();
        return StageResult.recorded(null, null, Map.of("pipeline", state.spec().name), List.of());
    }

    static StageResult<IngestResult> ingest(RunState state) {
        IngestResult ingested = state.factory().ingestor().ingest();
        DatasetProfile profile = ingested.profile();
        ingested.table().column(state.spec().target); // an unknown target fails here, naming the columns
        List<Map<String, String>> schema = new ArrayList<>();
        for (ColumnProfile column : profile.columns()) {
            schema.add(Map.of("name", column.name(), "type", column.type().id()));
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("sha256", profile.sha256());
        metrics.put("bytes", profile.bytes());
        metrics.put("columns", profile.columns().size());
        metrics.put(
                "badCells",
                ingested.table().badCells().values().stream()
                        .mapToInt(List::size)
                        .sum());
        Products.Dataset dataset = new Products.Dataset(
                profile.source(),
                profile.sha256(),
                profile.bytes(),
                profile.rows(),
                profile.columns().size(),
                Json.write(schema),
                Json.write(profile.columns()));
        return StageResult.of(ingested, null, (long) profile.rows(), metrics, List.of())
                .with(Products.NONE.withDataset(dataset));
    }

    static StageResult<CleanResult> clean(RunState state) {
        Cleaner cleaner = new Cleaner(state.factory().cleaningPolicy());
        CleanResult result = cleaner.clean(
                state.output(PipelineStages.INGEST).table(), state.artifactDir().resolve("quarantine.csv"));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("quarantined", result.quarantined());
        metrics.put("quarantinedByReason", result.quarantinedByReason());
        metrics.put("imputed", result.imputed());
        List<Artifact> artifacts = result.quarantineFile() == null
                ? List.of()
                : List.of(ArtifactFiles.describe(Artifact.QUARANTINE, result.quarantineFile()));
        // what clean hands on leaves out the quarantine file's path, which differs per run, so that it hashes alike
        CleanResult cleaned =
                new CleanResult(result.table(), result.rowsIn(), result.quarantinedByReason(), result.imputed(), null);
        return StageResult.of(
                cleaned, (long) result.rowsIn(), (long) result.table().rowCount(), metrics, artifacts);
    }

    static StageResult<Split> split(RunState state) {
        CleanResult cleaned = state.output(PipelineStages.CLEAN);
        Boolean configured = state.spec().split.stratify;
        boolean stratify = configured != null ? configured : state.isClassification();
        Split split = state.factory().splitter().split(cleaned.table().column(state.spec().target), stratify);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("train", split.train().length);
        metrics.put("validation", split.validation().length);
        metrics.put("test", split.test().length);
        metrics.put("seed", split.seed());
        metrics.put("stratified", split.stratified());
        long rows = cleaned.table().rowCount();
        return StageResult.of(split, rows, rows, metrics, List.of());
    }

    static StageResult<Transformed> transform(RunState state) {
        CleanResult cleaned = state.output(PipelineStages.CLEAN);
        EncodedSplits encoded = state.factory()
                .transformFitter(state.isClassification(), cleaned.imputed())
                .fitAndEncode(cleaned.table(), state.output(PipelineStages.SPLIT));
        Artifact artifact = ArtifactFiles.writeJson(
                Artifact.TRANSFORM, state.artifactDir().resolve("transform.json"), encoded.transform());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("task", encoded.transform().task());
        metrics.put("method", encoded.transform().method());
        metrics.put("inputs", encoded.transform().inputs().size());
        metrics.put("features", encoded.transform().featureCount());
        if (encoded.transform().isClassification()) {
            metrics.put("labels", encoded.transform().target().labels());
        }
        metrics.put("transformSha256", artifact.sha256());
        long rows = (long) encoded.train().rows()
                + encoded.validation().rows()
                + encoded.test().rows();
        return StageResult.of(new Transformed(encoded, artifact.sha256()), rows, rows, metrics, List.of(artifact));
    }
}
