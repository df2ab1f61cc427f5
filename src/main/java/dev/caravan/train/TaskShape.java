package dev.caravan.train;

import dev.caravan.data.FittedTransform;

/**
 * What the model predicts: one scaled number (regression), or one logit per class. Knows how to turn raw
 * outputs into the validation loss and metric.
 *
 * @param targetScale for regression, the factor that scaled the target (to report RMSE in the target's units)
 */
public record TaskShape(boolean classification, int classes, double targetScale) {
    public static TaskShape of(FittedTransform transform) {
        return transform.isClassification()
                ? new TaskShape(true, transform.target().labels().size(), 1)
                : new TaskShape(false, 1, transform.target().scale());
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
        return Math.sqrt(Scores.meanSquaredError(outputs, targets)) / targetScale;
    }
}
