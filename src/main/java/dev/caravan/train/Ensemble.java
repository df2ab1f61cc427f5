package dev.caravan.train;

import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.MlpWeights;
import java.io.Serializable;
import java.util.List;

/**
 * The model a run deploys: one trained MLP, or several whose predictions are averaged (regression: their outputs;
 * classification: their class probabilities). Its raw outputs are a single network's kind, so everything
 * downstream treats both alike: scaled predictions, or logits (for an ensemble, the logarithm of the mean
 * probabilities, whose softmax is that mean).
 */
public record Ensemble(List<TrainedModel> members, boolean classification) implements Serializable {
    public Ensemble {
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
    }

    public static Ensemble single(TrainedModel model, boolean classification) {
        return new Ensemble(List.of(model), classification);
    }

    public int size() {
        return members.size();
    }

    /** Raw outputs, row-major: for one member exactly its own. */
    public float[] outputs(FeatureMatrix matrix) {
        if (members.size() == 1) {
            return members.get(0).outputs(matrix);
        }
        int classes = members.get(0).architecture().outputs();
        float[] mean = new float[matrix.rows() * classes];
        for (TrainedModel member : members) {
            float[] outputs = member.outputs(matrix);
            float[] values = classification ? Scores.softmax(outputs, classes) : outputs;
            for (int i = 0; i < mean.length; i++) {
                mean[i] += values[i] / members.size();
            }
        }
        if (classification) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (float) Math.log(Math.max(mean[i], Float.MIN_NORMAL));
            }
        }
        return mean;
    }

    /** Each member's dense layers, for export. */
    public List<MlpWeights> weights() {
        return members.stream().map(TrainedModel::weights).toList();
    }
}
