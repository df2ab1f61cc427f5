package dev.caravan.train;

import java.io.Serializable;
import java.util.List;

/**
 * A trained candidate with its best epoch's weights restored.
 *
 * @param parameters the best epoch's DJL parameters, or null when no epoch produced a finite loss
 * @param bestValidationLoss the validation loss of {@code parameters}
 */
public record TrainedCandidate(
        int index,
        Hyperparameters hyperparameters,
        MlpArchitecture architecture,
        byte[] parameters,
        List<EpochStats> history,
        int bestEpoch,
        int stoppedEpoch,
        String stopReason,
        double bestValidationLoss,
        double bestValidationMetric,
        String device,
        double seconds)
        implements Serializable {

    public boolean usable() {
        return parameters != null;
    }
}
