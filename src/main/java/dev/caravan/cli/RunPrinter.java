package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.data.Json;
import dev.caravan.pipeline.RunReport;
import dev.caravan.registry.Artifact;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Renders runs for people (tables) or programs (JSON). The text view is drawn from the JSON it would print. */
final class RunPrinter {
    static final DateTimeFormatter STARTED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private RunPrinter() {}

    static void print(RunReport run, boolean json, PrintStream out) {
        JsonNode report = Json.tree(run);
        if (json) {
            out.println(Json.pretty(report));
            return;
        }
        out.printf(
                "run %s  pipeline %s  %s (%s)%n",
                report.get("runId").asText(),
                report.get("pipeline").asText(),
                report.get("status").asText(),
                seconds(report.get("durationMs")));
        if (!report.get("error").isNull()) {
            out.printf(
                    "  failed at %s: %s%n",
                    report.get("failedStage").asText(), report.get("error").asText());
        }
        out.printf("%n  %-10s %-10s %9s %10s %10s  %s%n", "STAGE", "STATUS", "TIME", "ROWS IN", "ROWS OUT", "NOTE");
        for (JsonNode stage : report.get("stages")) {
            JsonNode cachedFrom = stage.get("cachedFromRun");
            out.printf(
                    "  %-10s %-10s %9s %10s %10s  %s%n",
                    stage.get("name").asText(),
                    stage.get("status").asText(),
                    seconds(stage.get("durationMs")),
                    count(stage.get("rowsIn")),
                    count(stage.get("rowsOut")),
                    cachedFrom == null || cachedFrom.isNull()
                            ? attempt(stage)
                            : "cached from run " + cachedFrom.asText());
        }
        JsonNode dataset = report.get("dataset");
        if (!dataset.isNull()) {
            out.printf(
                    "%n  dataset   %s%n            sha256 %s, %d rows x %d columns%s%n",
                    dataset.get("source").asText(),
                    dataset.get("sha256").asText(),
                    dataset.get("rows").asLong(),
                    dataset.get("columns").asInt(),
                    dataset.get("quarantinedRows").isNull()
                            ? ""
                            : ", " + dataset.get("quarantinedRows").asLong() + " quarantined "
                                    + dataset.get("quarantinedByReason"));
        }
        JsonNode model = report.get("model");
        if (model != null && !model.isNull()) {
            out.printf(
                    "%n  model     %s version %d (candidate %d of %d, best epoch %d, stopped at %d: %s, on %s)%n",
                    model.get("name").asText(),
                    model.get("version").asInt(),
                    model.get("candidate").asInt() + 1,
                    report.get("candidates").size(),
                    model.get("bestEpoch").asInt(),
                    model.get("stoppedEpoch").asInt(),
                    model.get("stopReason").asText(),
                    model.get("device").asText());
            model.get("metrics")
                    .fields()
                    .forEachRemaining(metric -> out.printf(
                            Locale.ROOT,
                            "            %-9s %10.4f   baseline %10.4f%n",
                            metric.getKey(),
                            metric.getValue().asDouble(),
                            model.get("baseline").path(metric.getKey()).asDouble(Double.NaN)));
        }
        printTraining(report, out);
        JsonNode onnx = report.get("onnx");
        if (onnx != null && !onnx.isNull()) {
            out.printf("%n  onnx      %s%n", onnx.get("reason").asText());
        }
        JsonNode blessing = report.get("blessing");
        if (blessing != null && !blessing.isNull()) {
            out.printf("%n  bless     %s%n", blessing.get("reason").asText());
        }
        for (JsonNode artifact : report.get("artifacts")) {
            if (artifact.get("kind").asText().equals(Artifact.REPORT)) {
                out.printf("%n  report    %s%n", artifact.get("path").asText());
            }
        }
        out.printf("%n  artifacts %s%n", report.get("artifactDir").asText());
        for (JsonNode artifact : report.get("artifacts")) {
            if (artifact.get("kind").asText().equals(Artifact.CHECKPOINT)) {
                continue; // for resume and the cache; --json lists them
            }
            out.printf(
                    "            %-11s %s (%d bytes, sha256 %s)%n",
                    artifact.get("kind").asText(),
                    artifact.get("path").asText(),
                    artifact.get("bytes").asLong(),
                    artifact.get("sha256").asText().substring(0, 12));
        }
    }

    /** How the train stage searched: its summary, the settings it derived and why, and each rung's decisions. */
    private static void printTraining(JsonNode report, PrintStream out) {
        JsonNode train = null;
        JsonNode select = null;
        for (JsonNode stage : report.get("stages")) {
            if (stage.get("name").asText().equals("train")) {
                train = stage.get("metrics");
            } else if (stage.get("name").asText().equals("select")) {
                select = stage.get("metrics");
            }
        }
        if (train == null || train.isNull() || !train.has("search")) {
            return;
        }
        out.printf("%n  training  %s%n", train.get("search").asText());
        train.path("derived")
                .fields()
                .forEachRemaining(setting -> out.printf(
                        "            %s = %s%n",
                        setting.getKey(), setting.getValue().asText()));
        Map<Integer, List<String>> promoted = new TreeMap<>();
        Map<Integer, List<String>> halted = new TreeMap<>();
        Map<Integer, Integer> epochs = new TreeMap<>();
        for (JsonNode candidate : report.get("candidates")) {
            for (JsonNode decision : candidate.path("rungs")) {
                int rung = decision.get("rung").asInt();
                String number = String.valueOf(candidate.get("index").asInt() + 1);
                (decision.get("promoted").asBoolean() ? promoted : halted)
                        .computeIfAbsent(rung, r -> new ArrayList<>())
                        .add(number);
                epochs.merge(rung, decision.get("epoch").asInt(), Math::max);
            }
        }
        epochs.forEach((rung, epoch) -> out.printf(
                "            rung %d (epoch %d): promoted %s; halted %s%n",
                rung,
                epoch,
                String.join(", ", promoted.getOrDefault(rung, List.of("none"))),
                String.join(", ", halted.getOrDefault(rung, List.of("none")))));
        if (select != null && select.has("ensemble")) {
            out.printf("            ensemble: %s%n", select.get("ensemble").asText());
        }
    }

    /** The runs of a page ({@code {"runs": [...]}}), a line each. */
    static void printList(JsonNode page, PrintStream out) {
        JsonNode runs = page.get("runs");
        if (runs.isEmpty()) {
            out.println("no runs yet: try caravan run");
            return;
        }
        out.printf("%-36s  %-20s  %-9s  %-19s  %9s  %s%n", "RUN ID", "PIPELINE", "STATUS", "STARTED", "TIME", "ERROR");
        for (JsonNode run : runs) {
            JsonNode error = run.get("error");
            out.printf(
                    "%-36s  %-20s  %-9s  %-19s  %9s  %s%n",
                    run.get("runId").asText(),
                    run.get("pipeline").asText(),
                    run.get("status").asText(),
                    STARTED.format(Instant.parse(run.get("startedAt").asText())),
                    seconds(run.get("durationMs")),
                    error.isNull() ? "" : run.get("failedStage").asText() + ": " + abbreviate(error.asText()));
        }
        printMore(page, out);
    }

    /** Where the next page starts, when there is one. */
    static void printMore(JsonNode page, PrintStream out) {
        JsonNode next = page.get("nextOffset");
        if (next != null && !next.isNull()) {
            out.printf("(more: add --offset %d)%n", next.asInt());
        }
    }

    private static String attempt(JsonNode stage) {
        int attempt = stage.get("attempt").asInt();
        return attempt > 1 ? "attempt " + attempt : "";
    }

    private static String seconds(JsonNode durationMs) {
        if (durationMs == null || durationMs.isNull()) {
            return "running";
        }
        return String.format(Locale.ROOT, "%.2f s", durationMs.asLong() / 1000.0);
    }

    private static String count(JsonNode value) {
        return value == null || value.isNull() ? "" : String.format(Locale.ROOT, "%,d", value.asLong());
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
