package dev.caravan.train;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The chosen candidate, scored once on the test split, with the trivial baseline scored alike (mean predictor or
 * class prior) for comparison.
 */
public record Selection(
        TrainedCandidate chosen,
        TrainedModel model,
        Map<String, Double> testMetrics,
        Map<String, Double> baseline,
        List<TrainedCandidate> candidates)
        implements Serializable {}
