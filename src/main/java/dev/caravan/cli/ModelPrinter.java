package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders the model registry's answers (see {@link dev.caravan.registry.ModelQueries}) as text for people. */
final class ModelPrinter {
    private ModelPrinter() {}

    static void printModels(JsonNode result, PrintStream out) {
        if (result.get("models").isEmpty()) {
            out.println("no models yet: every pipeline run registers a version (try caravan run)");
            return;
        }
        out.printf("%-24s  %8s  %6s  %-19s  %s%n", "MODEL", "VERSIONS", "LATEST", "CREATED", "ALIASES");
        for (JsonNode model : result.get("models")) {
            List<String> aliases = new ArrayList<>();
            model.get("aliases")
                    .fields()
                    .forEachRemaining(alias ->
                            aliases.add(alias.getKey() + "=" + alias.getValue().asInt()));
            out.printf(
                    "%-24s  %8d  %6s  %-19s  %s%n",
                    model.get("name").asText(),
                    model.get("versionCount").asInt(),
                    text(model.get("latestVersion")),
                    time(model.get("createdAt")),
                    String.join(" ", aliases));
        }
    }

    static void printVersions(JsonNode result, PrintStream out) {
        out.printf(
                "%7s  %-19s  %-8s  %-7s  %-9s  %-16s  %-24s  %s%n",
                "VERSION", "CREATED", "RUN", "BLESSED", "PRECISION", "ALIASES", "IMAGE", "METRICS");
        for (JsonNode version : result.get("versions")) {
            out.printf(
                    "%7d  %-19s  %-8s  %-7s  %-9s  %-16s  %-24s  %s%n",
                    version.get("version").asInt(),
                    time(version.get("createdAt")),
                    version.get("runId").asText().substring(0, 8),
                    blessed(version.get("blessed")),
                    text(version.get("precision")),
                    aliases(version),
                    text(version.get("image")),
                    metrics(version.get("metrics")));
        }
        RunPrinter.printMore(result, out);
    }

    static void printVersion(JsonNode version, PrintStream out) {
        out.printf(
                "%s:%d%s%n",
                version.get("model").asText(),
                version.get("version").asInt(),
                version.get("aliases").isEmpty() ? "" : "  (" + aliases(version) + ")");
        out.printf("  run        %s, created %s%n", version.get("runId").asText(), time(version.get("createdAt")));
        out.printf("  metrics    %s%n", metrics(version.get("metrics")));
        out.printf("  baseline   %s%n", metrics(version.get("baseline")));
        out.printf(
                "  training   candidate %d, best epoch %d, stopped at %d: %s, on %s%n",
                version.get("candidate").asInt() + 1,
                version.get("bestEpoch").asInt(),
                version.get("stoppedEpoch").asInt(),
                version.get("stopReason").asText(),
                version.get("device").asText());
        out.printf("  dataset    sha256 %s%n", version.get("datasetSha256").asText());
        printBlessing(version.get("blessing"), out);
        JsonNode export = version.get("export");
        out.printf(
                "  onnx       %s%n",
                export.isNull()
                        ? "not exported"
                        : export.get("chosen").asText() + ": "
                                + export.get("reason").asText());
        JsonNode deployment = version.get("deployment");
        out.printf(
                "  deployed   %s%n",
                deployment.isNull()
                        ? "no"
                        : deployment.get("image").asText() + " ("
                                + deployment.get("target").asText() + ", "
                                + deployment.get("digest").asText() + ")");
        if (!version.get("aliasHistory").isEmpty()) {
            out.printf("%n  alias moves to or from this version, newest first:%n");
            version.get("aliasHistory")
                    .forEach(move -> out.printf(
                            "  %s  %s@%s %s -> %s by %s%s: %s%n",
                            time(move.get("movedAt")),
                            move.get("model").asText(),
                            move.get("alias").asText(),
                            text(move.get("from")),
                            move.get("to").asText(),
                            move.get("movedBy").asText(),
                            move.get("forced").asBoolean() ? " (forced)" : "",
                            move.get("reason").asText()));
        }
    }

    /** The gate's decision with its numbers: the candidate's value, the champion's, and the change. */
    private static void printBlessing(JsonNode blessing, PrintStream out) {
        if (blessing.isNull()) {
            out.printf("  blessing   not evaluated%n");
            return;
        }
        String metric = blessing.get("metric").asText();
        String comparison = blessing.get("championVersion").isNull()
                ? ", no champion to compare with"
                : String.format(
                        Locale.ROOT,
                        " against champion version %d's %.4f: %+.4f%s",
                        blessing.get("championVersion").asInt(),
                        blessing.get("championValue").asDouble(),
                        blessing.get("absoluteChange").asDouble(),
                        percent(blessing.get("relativeChange")));
        out.printf(
                Locale.ROOT,
                "  blessing   %s  %s %.4f%s, %s is better%n",
                blessing.get("blessed").asBoolean() ? "BLESSED" : "NOT BLESSED",
                metric,
                blessing.get("candidateValue").asDouble(),
                comparison,
                blessing.get("direction").asText());
        out.printf("             reason: %s%n", blessing.get("reason").asText());
    }

    static void printLineage(JsonNode lineage, PrintStream out) {
        JsonNode run = lineage.get("run");
        out.printf(
                "%s:%d  from run %s (pipeline %s, %s, trigger %s, started %s)%n",
                lineage.get("model").asText(),
                lineage.get("version").asInt(),
                run.get("runId").asText(),
                run.get("pipeline").asText(),
                run.get("status").asText(),
                run.get("trigger").asText(),
                time(run.get("startedAt")));
        JsonNode dataset = lineage.get("dataset");
        out.printf(
                "  dataset  %s, sha256 %s, %s rows%n",
                text(dataset.get("source")), dataset.get("sha256").asText(), text(dataset.get("rows")));
        out.printf("%n  %-10s %7s  %-10s %s%n", "STAGE", "ATTEMPT", "STATUS", "CACHED FROM RUN");
        for (JsonNode stage : lineage.get("stages")) {
            out.printf(
                    "  %-10s %7d  %-10s %s%n",
                    stage.get("name").asText(),
                    stage.get("attempt").asInt(),
                    stage.get("status").asText(),
                    text(stage.get("cachedFromRun")));
            stage.get("artifacts")
                    .forEach(artifact -> out.printf(
                            "             %-11s %s (%d bytes, sha256 %s)%n",
                            artifact.get("kind").asText(),
                            artifact.get("path").asText(),
                            artifact.get("bytes").asLong(),
                            artifact.get("sha256").asText()));
        }
    }

    static void printMove(JsonNode move, PrintStream out) {
        String from = move.get("from").isNull()
                ? "new alias"
                : "version " + move.get("from").asInt();
        out.printf(
                "%s@%s: %s -> version %d, moved by %s%s: %s%n",
                move.get("model").asText(),
                move.get("alias").asText(),
                from,
                move.get("to").asInt(),
                move.get("movedBy").asText(),
                move.get("forced").asBoolean() ? " (forced past the blessing gate)" : "",
                move.get("reason").asText());
    }

    static void printHistory(JsonNode history, PrintStream out) {
        out.printf(
                "%s@%s points at version %s%n",
                history.get("model").asText(), history.get("alias").asText(), text(history.get("current")));
        out.printf("%n  %-19s  %4s  %4s  %-6s  %-16s  %s%n", "MOVED AT", "FROM", "TO", "FORCED", "BY", "REASON");
        for (JsonNode move : history.get("moves")) {
            out.printf(
                    "  %-19s  %4s  %4d  %-6s  %-16s  %s%n",
                    time(move.get("movedAt")),
                    text(move.get("from")),
                    move.get("to").asInt(),
                    move.get("forced").asBoolean() ? "yes" : "no",
                    who(move.get("movedBy")),
                    move.get("reason").asText());
        }
    }

    private static String aliases(JsonNode version) {
        List<String> names = new ArrayList<>();
        version.get("aliases").forEach(alias -> names.add(alias.asText()));
        return names.isEmpty() ? "-" : String.join(", ", names);
    }

    /** Who moved an alias; a run (the blessing gate) by the short id that {@code runs show} accepts. */
    private static String who(JsonNode movedBy) {
        return movedBy.asText().replaceFirst("^run ([0-9a-f]{8})-[0-9a-f-]{27}$", "run $1");
    }

    /** A relative change in percent; none when the champion's value was zero. */
    private static String percent(JsonNode relative) {
        return relative.isNull() ? "" : String.format(Locale.ROOT, " (%+.2f%%)", relative.asDouble() * 100);
    }

    private static String blessed(JsonNode blessed) {
        return blessed.isNull() ? "-" : blessed.asBoolean() ? "yes" : "no";
    }

    private static String metrics(JsonNode metrics) {
        List<String> values = new ArrayList<>();
        metrics.fields()
                .forEachRemaining(metric -> values.add(String.format(
                        Locale.ROOT,
                        "%s %.4f",
                        metric.getKey(),
                        metric.getValue().asDouble())));
        return String.join("  ", values);
    }

    private static String time(JsonNode instant) {
        return RunPrinter.STARTED.format(Instant.parse(instant.asText()));
    }

    /** A value as text, or "-" for null. */
    private static String text(JsonNode value) {
        return value == null || value.isNull() ? "-" : value.asText();
    }
}
