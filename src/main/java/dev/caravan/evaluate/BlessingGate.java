package dev.caravan.evaluate;

import dev.caravan.data.LowerCaseName;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a candidate beats the champion: its improvement (in the metric's better direction) must reach
 * both the absolute and the relative minimum. Negative minimums allow a bounded loss. Equal scores pass the
 * default minimums of zero, so that a retrained model on fresh data can take over.
 */
public final class BlessingGate {
    /** Which way a metric improves. */
    public enum Direction implements LowerCaseName {
        HIGHER,
        LOWER
    }

    /** The decision with the numbers behind it; the changes are null when there was no champion. */
    public record Decision(boolean blessed, Double absoluteChange, Double relativeChange, String reason) {}

    private static final Set<String> LOWER_IS_BETTER = Set.of("rmse", "mae", "logLoss", "val_loss");

    private final String metric;
    private final Direction direction;
    private final double minAbsoluteChange;
    private final double minRelativeChange;

    public BlessingGate(String metric, Direction direction, double minAbsoluteChange, double minRelativeChange) {
        this.metric = metric;
        this.direction = direction;
        this.minAbsoluteChange = minAbsoluteChange;
        this.minRelativeChange = minRelativeChange;
    }

    /** The better direction of Caravan's metrics: errors and losses go down, the rest up. */
    public static Direction defaultDirection(String metric) {
        return LOWER_IS_BETTER.contains(metric) ? Direction.LOWER : Direction.HIGHER;
    }

    /** The first version of a model has nothing to beat. */
    public Decision withoutChampion(double candidate) {
        if (!Double.isFinite(candidate)) {
            return new Decision(false, null, null, format("not blessed: %s is %s", metric, candidate));
        }
        return new Decision(true, null, null, format("blessed: no champion yet (%s %.6g)", metric, candidate));
    }

    public Decision decide(double candidate, int championVersion, double champion) {
        if (!Double.isFinite(candidate) || !Double.isFinite(champion)) {
            return new Decision(
                    false,
                    null,
                    null,
                    format(
                            "not blessed: cannot compare %s %s with champion v%d's %s",
                            metric, candidate, championVersion, champion));
        }
        double improvement = direction == Direction.HIGHER ? candidate - champion : champion - candidate;
        double relative = champion == 0
                ? (improvement == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, improvement))
                : improvement / Math.abs(champion);
        boolean blessed = improvement >= minAbsoluteChange && relative >= minRelativeChange;
        String reason = format(
                "%s: %s %.6g against champion v%d's %.6g (%s is better): improvement %+.6g (%+.3f%%);"
                        + " required at least %+.6g and %+.3f%%",
                blessed ? "blessed" : "not blessed",
                metric,
                candidate,
                championVersion,
                champion,
                direction == Direction.HIGHER ? "higher" : "lower",
                improvement,
                100 * relative,
                minAbsoluteChange,
                100 * minRelativeChange);
        return new Decision(blessed, improvement, relative, reason);
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }
}
