package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.pipeline.Json;
import dev.caravan.registry.Records.Run;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Renders runs for people (tables) or programs (JSON). The text view is drawn from the JSON report. */
final class RunPrinter {
    static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private RunPrinter() {
    }

    static void print(ObjectNode report, boolean json, PrintStream out) {
        if (json) {
            out.println(Json.pretty(report));
            return;
        }
        out.printf("run %s  pipeline %s  %s (%s)%n", report.get("runId").asText(),
                report.get("pipeline").asText(), report.get("status").asText(), seconds(report.get("durationMs")));
        if (!report.get("error").isNull()) {
            out.printf("  failed at %s: %s%n", report.get("failedStage").asText(), report.get("error").asText());
        }
        out.printf("%n  %-10s %-10s %9s %10s %10s%n", "STAGE", "STATUS", "TIME", "ROWS IN", "ROWS OUT");
        for (JsonNode stage : report.get("stages")) {
            out.printf("  %-10s %-10s %9s %10s %10s%n", stage.get("name").asText(), stage.get("status").asText(),
                    seconds(stage.get("durationMs")), count(stage.get("rowsIn")), count(stage.get("rowsOut")));
        }
        JsonNode dataset = report.get("dataset");
        if (!dataset.isNull()) {
            out.printf("%n  dataset   %s%n            sha256 %s, %d rows x %d columns%s%n", dataset.get("source").asText(),
                    dataset.get("sha256").asText(), dataset.get("rows").asLong(), dataset.get("columns").asInt(),
                    dataset.get("quarantinedRows").isNull() ? ""
                            : ", " + dataset.get("quarantinedRows").asLong() + " quarantined "
                                    + dataset.get("quarantinedByReason"));
        }
        JsonNode model = report.get("model");
        if (model != null && !model.isNull()) {
            out.printf("%n  model     %s version %d (candidate %d of %d, best epoch %d, stopped at %d: %s, on %s)%n",
                    model.get("name").asText(), model.get("version").asInt(), model.get("candidate").asInt() + 1,
                    report.get("candidates").size(), model.get("bestEpoch").asInt(), model.get("stoppedEpoch").asInt(),
                    model.get("stopReason").asText(), model.get("device").asText());
            model.get("metrics").fields().forEachRemaining(metric -> out.printf(Locale.ROOT,
                    "            %-9s %10.4f   baseline %10.4f%n", metric.getKey(), metric.getValue().asDouble(),
                    model.get("baseline").path(metric.getKey()).asDouble(Double.NaN)));
        }
        JsonNode onnx = report.get("onnx");
        if (onnx != null && !onnx.isNull()) {
            out.printf("%n  onnx      %s%n", onnx.get("reason").asText());
        }
        for (JsonNode artifact : report.get("artifacts")) {
            if (artifact.get("kind").asText().equals("report")) {
                out.printf("%n  report    %s%n", artifact.get("path").asText());
            }
        }
        out.printf("%n  artifacts %s%n", report.get("artifactDir").asText());
        for (JsonNode artifact : report.get("artifacts")) {
            out.printf("            %-11s %s (%d bytes, sha256 %s)%n", artifact.get("kind").asText(),
                    artifact.get("path").asText(), artifact.get("bytes").asLong(),
                    artifact.get("sha256").asText().substring(0, 12));
        }
    }

    static ObjectNode summary(Run run) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("runId", run.id().toString());
        node.put("pipeline", run.pipeline());
        node.put("status", run.status());
        node.put("trigger", run.trigger());
        node.put("startedAt", run.startedAt().toString());
        node.put("finishedAt", run.finishedAt() == null ? null : run.finishedAt().toString());
        if (run.finishedAt() == null) {
            node.putNull("durationMs");
        } else {
            node.put("durationMs", Duration.between(run.startedAt(), run.finishedAt()).toMillis());
        }
        node.put("failedStage", run.failedStage());
        node.put("error", run.error());
        return node;
    }

    static void printList(List<Run> runs, PrintStream out) {
        if (runs.isEmpty()) {
            out.println("no runs yet: try caravan run");
            return;
        }
        out.printf("%-36s  %-20s  %-9s  %-19s  %9s  %s%n", "RUN ID", "PIPELINE", "STATUS", "STARTED", "TIME", "ERROR");
        for (Run run : runs) {
            ObjectNode summary = summary(run);
            out.printf("%-36s  %-20s  %-9s  %-19s  %9s  %s%n", run.id(), run.pipeline(), run.status(),
                    STARTED.format(run.startedAt()), seconds(summary.get("durationMs")),
                    run.error() == null ? "" : run.failedStage() + ": " + abbreviate(run.error()));
        }
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
