package dev.caravan.pipeline;

import dev.caravan.clean.CleanResult;
import dev.caravan.clean.Cleaner;
import dev.caravan.data.ColumnProfile;
import dev.caravan.data.DatasetProfile;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.Split;
import dev.caravan.registry.Records.Artifact;
import dev.caravan.registry.Records.Dataset;
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
        return new StageReport(null, (long) profile.rows(), metrics, List.of(), dataset);
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
        return new StageReport((long) result.rowsIn(), (long) result.table().rowCount(), metrics, artifacts, null);
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
                metrics, List.of(), null);
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
        long rows = (long) encoded.train().rows() + encoded.validation().rows() + encoded.test().rows();
        return new StageReport(rows, rows, metrics, List.of(artifact), null);
    }
}
