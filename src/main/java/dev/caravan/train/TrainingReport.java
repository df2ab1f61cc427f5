package dev.caravan.train;

import dev.caravan.data.AtomicFiles;
import dev.caravan.data.IoErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Writes {@code report.html}: one self-contained page (charts embedded as PNG) with the chosen model's test metrics
 * beside the baseline's, the candidate table, the search's rung decisions, every candidate's validation curve on
 * one chart (halted ones end at their rung), and the chosen candidate's train and validation curves.
 */
public final class TrainingReport {
    private TrainingReport() {}

    public static void write(
            Path file, String title, Selection selection, String search, List<CandidateSearch.Decision> decisions) {
        System.setProperty("java.awt.headless", "true");
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}.chosen{background:#e8f5e9}")
                .append("</style></head><body><h1>")
                .append(escape(title))
                .append("</h1>");
        html.append("<h2>Test metrics</h2><table><tr><th>metric</th><th>model</th><th>baseline</th></tr>");
        for (Map.Entry<String, Double> metric : selection.testMetrics().entrySet()) {
            html.append("<tr><td>")
                    .append(metric.getKey())
                    .append("</td><td>")
                    .append(number(metric.getValue()))
                    .append("</td><td>")
                    .append(number(selection.baseline().get(metric.getKey())))
                    .append("</td></tr>");
        }
        html.append("</table><h2>Candidates</h2>").append(candidateTable(selection));
        html.append("<h2>Search</h2><p>").append(escape(search)).append("</p>");
        html.append("<p>Ensemble: ").append(escape(selection.ensemble())).append("</p>");
        if (!decisions.isEmpty()) {
            html.append(decisionTable(decisions));
        }
        html.append("<h2>Validation loss of every candidate</h2>")
                .append(image("validation curves", validationCurves(selection.candidates())));
        html.append("<h2>Chosen candidate ")
                .append(selection.chosen().index() + 1)
                .append("</h2>")
                .append(image("loss curve", lossCurves(selection.chosen())));
        html.append("</body></html>\n");
        try {
            AtomicFiles.write(file, html.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + IoErrors.describe(e), e);
        }
    }

    private static String candidateTable(Selection selection) {
        StringBuilder table = new StringBuilder("<table><tr><th>#</th><th>params</th><th>best epoch</th>"
                + "<th>stopped</th><th>reason</th><th>val loss</th><th>val metric</th><th>seconds</th></tr>");
        for (TrainedCandidate c : selection.candidates()) {
            table.append(c.index() == selection.chosen().index() ? "<tr class=\"chosen\">" : "<tr>")
                    .append("<td>")
                    .append(c.index() + 1)
                    .append("</td><td style=\"text-align:left\">")
                    .append(escape(c.hyperparameters().asMap().toString()))
                    .append("</td><td>")
                    .append(c.bestEpoch())
                    .append("</td><td>")
                    .append(c.stoppedEpoch())
                    .append("</td><td>")
                    .append(escape(c.stopReason()))
                    .append("</td><td>")
                    .append(number(c.bestValidationLoss()))
                    .append("</td><td>")
                    .append(number(c.bestValidationMetric()))
                    .append("</td><td>")
                    .append(number(c.seconds()))
                    .append("</td></tr>");
        }
        return table.append("</table>").toString();
    }

    private static String decisionTable(List<CandidateSearch.Decision> decisions) {
        StringBuilder table = new StringBuilder(
                "<table><tr><th>rung</th><th>epoch</th><th>#</th><th>best value</th><th>decision</th></tr>");
        for (CandidateSearch.Decision d : decisions) {
            table.append(d.promoted() ? "<tr class=\"chosen\">" : "<tr>")
                    .append("<td>")
                    .append(d.rung())
                    .append("</td><td>")
                    .append(d.epoch())
                    .append("</td><td>")
                    .append(d.candidate() + 1)
                    .append("</td><td>")
                    .append(number(d.value()))
                    .append("</td><td style=\"text-align:left\">")
                    .append(escape(d.reason()))
                    .append("</td></tr>");
        }
        return table.append("</table>").toString();
    }

    private static String image(String alt, XYChart chart) {
        try {
            return "<img alt=\"" + alt + "\" src=\"data:image/png;base64,"
                    + Base64.getEncoder()
                            .encodeToString(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG))
                    + "\">";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the chart " + alt, e);
        }
    }

    private static XYChart chart() {
        return new XYChartBuilder()
                .width(720)
                .height(360)
                .xAxisTitle("epoch")
                .yAxisTitle("loss")
                .build();
    }

    /** Losses are capped at the highest first-epoch loss, so that a diverging candidate does not flatten the rest. */
    private static XYChart validationCurves(List<TrainedCandidate> candidates) {
        double cap = candidates.stream()
                .filter(c -> !c.history().isEmpty())
                .mapToDouble(c -> finite(c.history().get(0).validationLoss()))
                .max()
                .orElse(0);
        XYChart chart = chart();
        for (TrainedCandidate candidate : candidates) {
            List<EpochStats> history = candidate.history();
            if (!history.isEmpty()) {
                chart.addSeries(
                        "#" + (candidate.index() + 1),
                        history.stream().mapToDouble(EpochStats::epoch).toArray(),
                        history.stream()
                                .mapToDouble(s ->
                                        Double.isFinite(s.validationLoss()) ? Math.min(cap, s.validationLoss()) : cap)
                                .toArray());
            }
        }
        return chart;
    }

    private static XYChart lossCurves(TrainedCandidate candidate) {
        XYChart chart = chart();
        List<EpochStats> history = candidate.history();
        double[] epochs = history.stream().mapToDouble(EpochStats::epoch).toArray();
        chart.addSeries(
                "train",
                epochs,
                history.stream().mapToDouble(s -> finite(s.trainLoss())).toArray());
        chart.addSeries(
                "validation",
                epochs,
                history.stream().mapToDouble(s -> finite(s.validationLoss())).toArray());
        return chart;
    }

    /** A diverged epoch's loss is drawn at 0 rather than breaking the chart. */
    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0;
    }

    private static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
