package dev.caravan.train;

import dev.caravan.data.FittedTransform;

/**
 * What the model predicts: one scaled number (regression), or one logit per class. Knows how to turn raw
 * outputs into the validation loss and metric.
 *
 * @param targetScale for regression, the factor that scaled the target (to report RMSE in the target's units)
 * @param logTarget for regression, whether the model learns {@code (ln y - targetCenter) * targetScale}
 */
public record TaskShape(
        boolean classification, int classes, double targetScale, double targetCenter, boolean logTarget) {
    public TaskShape(boolean classification, int classes, double targetScale) {
        this(classification, classes, targetScale, 0, false);
    }

    public static TaskShape of(FittedTransform transform) {
        FittedTransform.Target target = transform.target();
        return transform.isClassification()
                ? new TaskShape(true, target.labels().size(), 1)
                : new TaskShape(false, 1, target.scale(), target.center(), target.logged());
    }

    public int outputs() {
        return classification ? classes : 1;
    }

    /** The training loss on outputs, computed the way the trainer's loss computes it. */
    public double loss(LossKind regressionLoss, float[] outputs, float[] targets) {
        if (classification) {
            return Scores.logLoss(Scores.softmax(outputs, classes), targets, classes);
        }
        return regressionLoss == LossKind.L1
                ? Scores.meanAbsoluteError(outputs, targets)
                : Scores.meanSquaredError(outputs, targets);
    }

    /** Accuracy for classification; RMSE in the target's units for regression. */
    public double metric(float[] outputs, float[] targets) {
        if (classification) {
            return Scores.accuracy(Scores.softmax(outputs, classes), targets, classes);
        }
        if (!logTarget) {
            return Math.sqrt(Scores.meanSquaredError(outputs, targets)) / targetScale;
        }
        double sum = 0;
        for (int i = 0; i < targets.length; i++) {
            double error = Math.exp(outputs[i] / targetScale + targetCenter)
                    - Math.exp(targets[i] / targetScale + targetCenter);
            sum += error * error;
        }
        return Math.sqrt(sum / targets.length);
    }
}
