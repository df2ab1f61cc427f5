package dev.caravan.train;

import dev.caravan.data.EncodedSplits;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The model to deploy, scored once on the test split, with the trivial baseline scored alike (mean predictor or
 * class prior) for comparison.
 *
 * @param chosen the best single candidate on validation
 * @param members the candidates whose mean the model is: {@code [chosen]}, or the ensemble's, best first
 * @param ensemble whether an ensemble was tried and why it was kept or not, with the validation numbers
 * @param encoded the splits as the model's target encoding has them (the log-encoded ones for a model that
 *     learnt the target's logarithm), which export and quantization use
 */
public record Selection(
        TrainedCandidate chosen,
        List<TrainedCandidate> members,
        Ensemble model,
        String ensemble,
        EncodedSplits encoded,
        Map<String, Double> testMetrics,
        Map<String, Double> baseline,
        List<TrainedCandidate> candidates)
        implements Serializable {}
