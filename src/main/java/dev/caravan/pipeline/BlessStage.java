package dev.caravan.pipeline;

import dev.caravan.data.Column;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.NumericColumn;
import dev.caravan.data.Table;
import dev.caravan.evaluate.BlessingGate;
import dev.caravan.registry.Records.Blessing;
import dev.caravan.registry.Records.DeployableModel;
import dev.caravan.registry.Records.Products;
import dev.caravan.serve.ServedModel;
import dev.caravan.train.Scores;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The bless stage: scores the current champion (its deployed ONNX file, with the transform inside it) on this
 * run's test split, and compares it with the new version's deployable export on the same rows. A blessed version
 * takes the alias (by default {@code champion}) when the stage is recorded; the deploy stage deploys only blessed
 * versions.
 */
final class BlessStage {
    private BlessStage() {
    }

    static StageReport bless(RunState state) {
        PipelineSpec.Blessing settings = state.spec().blessing;
        boolean classification = state.encoded.transform().isClassification();
        String metric = settings.metric != null ? settings.metric : classification ? "accuracy" : "rmse";
        Double candidate = state.deployableMetrics.get(metric);
        if (candidate == null) {
            throw new ConfigException("blessing.metric '" + metric + "' is not a test metric of this "
                    + (classification ? "classification" : "regression") + " model (have: "
                    + String.join(", ", state.deployableMetrics.keySet()) + ")");
        }
        BlessingGate.Direction direction = settings.direction == null ? BlessingGate.defaultDirection(metric)
                : PipelineSpec.blessingDirection(settings.direction);
        BlessingGate gate = new BlessingGate(metric, direction, settings.minAbsoluteChange,
                settings.minRelativeChange);
        Optional<DeployableModel> champion = state.store().deployable(state.spec().modelName(), null, settings.alias);
        Integer championVersion = champion.map(DeployableModel::version).orElse(null);
        Double championValue = null;
        BlessingGate.Decision decision;
        if (!settings.enabled) {
            decision = new BlessingGate.Decision(true, null, null, "blessed: the gate is off (blessing.enabled: false)");
        } else if (champion.isEmpty()) {
            decision = gate.withoutChampion(candidate);
        } else {
            try {
                championValue = championScore(state, champion.get(), metric);
                decision = gate.decide(candidate, championVersion, championValue);
            } catch (RuntimeException e) {
                decision = new BlessingGate.Decision(false, null, null, "not blessed: champion v" + championVersion
                        + " cannot be scored on this run's test split (" + RunFailureHandler.oneLine(e)
                        + "); promote with --force to override");
            }
        }
        Blessing blessing = new Blessing(decision.blessed(), metric, direction.name().toLowerCase(Locale.ROOT), candidate,
                championVersion, championValue, decision.absoluteChange(), decision.relativeChange(),
                decision.reason(), settings.alias);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("blessed", decision.blessed());
        metrics.put("metric", metric);
        metrics.put("candidate", candidate);
        metrics.put("championVersion", championVersion);
        metrics.put("champion", championValue);
        metrics.put("reason", decision.reason());
        long rows = state.split.test().length;
        return new StageReport(rows, rows, metrics, List.of()).with(Products.NONE.withBlessing(blessing));
    }

    /** The champion's test metric on this run's test rows, encoded by the champion's own transform. */
    private static double championScore(RunState state, DeployableModel champion, String metric) {
        Table table = state.cleaned.table();
        int[] rows = state.split.test();
        try (ServedModel model = ServedModel.load(champion)) {
            FittedTransform transform = model.transform();
            float[] outputs = model.predict(transform.encodeUnnormalized(table, rows), rows.length);
            Column target = table.column(transform.target().name());
            Map<String, Double> scores;
            if (transform.isClassification()) {
                float[] labels = new float[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    labels[i] = transform.labelIndex(target.render(rows[i]));
                }
                scores = Scores.classification(outputs, labels, transform.target().labels().size());
            } else {
                double[] predicted = new double[rows.length];
                double[] actual = new double[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    predicted[i] = outputs[i];
                    actual[i] = ((NumericColumn) target).values()[rows[i]];
                }
                scores = Scores.regression(predicted, actual);
            }
            Double score = scores.get(metric);
            if (score == null) {
                throw new IllegalStateException("the champion has no " + metric + " (a model of another task?)");
            }
            return score;
        }
    }
}
