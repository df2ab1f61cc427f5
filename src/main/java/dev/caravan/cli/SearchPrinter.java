package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Tables for {@code caravan runs search}: a row a run with a column a metric, or a row a group. */
final class SearchPrinter {
    private SearchPrinter() {}

    static void printRuns(JsonNode result, PrintStream out) {
        JsonNode runs = result.get("runs");
        if (runs.isEmpty()) {
            out.println("no runs match");
            return;
        }
        Set<String> metrics = new TreeSet<>();
        runs.forEach(run -> run.get("metrics").fieldNames().forEachRemaining(metrics::add));
        List<String> header = new ArrayList<>(List.of("RUN ID", "PIPELINE", "STATUS", "STARTED"));
        header.addAll(metrics);
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode run : runs) {
            Instant started = Instant.parse(run.get("startedAt").asText());
            List<String> row = new ArrayList<>(List.of(
                    run.get("runId").asText(),
                    run.get("pipeline").asText(),
                    run.get("status").asText(),
                    RunPrinter.STARTED.format(started)));
            metrics.forEach(metric -> row.add(number(run.get("metrics").get(metric))));
            rows.add(row);
        }
        printTable(header, rows, 4, out);
        RunPrinter.printMore(result, out);
    }

    static void printGroups(JsonNode result, PrintStream out) {
        JsonNode groups = result.get("groups");
        if (groups.isEmpty()) {
            out.println("no runs match");
            return;
        }
        List<String> header = new ArrayList<>();
        groups.get(0).get("group").fieldNames().forEachRemaining(header::add);
        int keys = header.size();
        groups.get(0).fieldNames().forEachRemaining(name -> {
            if (!name.equals("group")) {
                header.add(name);
            }
        });
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode group : groups) {
            List<String> row = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                JsonNode value = i < keys ? group.get("group").get(header.get(i)) : group.get(header.get(i));
                row.add(value.isNumber() ? number(value) : value.isNull() ? "-" : value.asText());
            }
            rows.add(row);
        }
        printTable(header, rows, keys, out);
    }

    /** Left-aligned text columns, then right-aligned number columns from {@code firstNumber} on. */
    private static void printTable(List<String> header, List<List<String>> rows, int firstNumber, PrintStream out) {
        int[] widths = new int[header.size()];
        for (List<String> row : concat(header, rows)) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : concat(header, rows)) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String format = "%" + (i < firstNumber ? "-" : "") + widths[i] + "s";
                line.append(i == 0 ? "" : "  ").append(String.format(format, row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static List<List<String>> concat(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>(List.of(header));
        all.addAll(rows);
        return all;
    }

    /** Six significant digits, no exponent: 0.312346, 12, 1500; NaN or Infinity as such; "-" where the run has none. */
    private static String number(JsonNode value) {
        if (value == null || value.isNull()) {
            return "-";
        }
        if (value.isIntegralNumber() || !Double.isFinite(value.asDouble())) {
            return value.asText();
        }
        return new BigDecimal(value.asDouble())
                .round(new MathContext(6))
                .stripTrailingZeros()
                .toPlainString();
    }
}
