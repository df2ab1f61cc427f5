package dev.caravan.train;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One candidate's settings. {@link #validate()} names the first bad one. */
public record Hyperparameters(
        List<Integer> hidden,
        Activation activation,
        double dropout,
        OptimizerKind optimizer,
        double momentum,
        double learningRate,
        double weightDecay,
        int batchSize,
        int maxEpochs,
        LearningRateSchedule schedule,
        LossKind loss,
        boolean logTarget)
        implements Serializable {

    public Hyperparameters {
        hidden = List.copyOf(hidden);
    }

    /** Settings that learn the target as it is. */
    public Hyperparameters(
            List<Integer> hidden,
            Activation activation,
            double dropout,
            OptimizerKind optimizer,
            double momentum,
            double learningRate,
            double weightDecay,
            int batchSize,
            int maxEpochs,
            LearningRateSchedule schedule,
            LossKind loss) {
        this(
                hidden,
                activation,
                dropout,
                optimizer,
                momentum,
                learningRate,
                weightDecay,
                batchSize,
                maxEpochs,
                schedule,
                loss,
                false);
    }

    /** The same settings, learning the logarithm of a regression target (see {@code LogTarget}). */
    public Hyperparameters withLogTarget() {
        return new Hyperparameters(
                hidden,
                activation,
                dropout,
                optimizer,
                momentum,
                learningRate,
                weightDecay,
                batchSize,
                maxEpochs,
                schedule,
                loss,
                true);
    }

    public Hyperparameters validate() {
        require(
                !hidden.isEmpty() && hidden.stream().allMatch(width -> width > 0),
                "hidden layer sizes must be positive, got " + hidden);
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be > 0, got " + learningRate);
        require(batchSize > 0, "batchSize must be > 0, got " + batchSize);
        require(maxEpochs > 0, "maxEpochs must be > 0, got " + maxEpochs);
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        require(weightDecay >= 0, "weightDecay must be >= 0, got " + weightDecay);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        return this;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The settings as recorded with the candidate and the model version. */
    public Map<String, Object> asMap() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("hidden", hidden);
        params.put("activation", activation.id());
        params.put("dropout", dropout);
        params.put("optimizer", optimizer.id());
        if (optimizer == OptimizerKind.SGD) {
            params.put("momentum", momentum);
        }
        params.put("learningRate", learningRate);
        params.put("weightDecay", weightDecay);
        params.put("batchSize", batchSize);
        params.put("maxEpochs", maxEpochs);
        params.put("schedule", schedule.kind().id());
        if (schedule.kind() == LearningRateSchedule.Kind.STEP) {
            params.put("stepSize", schedule.stepSize());
            params.put("gamma", schedule.gamma());
        }
        params.put("loss", loss.id());
        if (logTarget) {
            params.put("target", "log");
        }
        return params;
    }
}
