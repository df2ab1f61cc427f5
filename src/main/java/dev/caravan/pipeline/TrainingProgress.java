package dev.caravan.pipeline;

import dev.caravan.train.CandidateSearch;
import dev.caravan.train.EpochStats;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows training progress, one rung of the search at a time (candidates train on several threads at once): on a
 * terminal, a progress bar on stderr counting the rung's epochs, with the best validation value so far; otherwise
 * a log line per rung and at most every few seconds, so that CI logs stay readable.
 */
final class TrainingProgress implements CandidateSearch.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingProgress.class);
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final boolean terminal = System.console() != null;
    private final boolean maximize;
    private ProgressBar bar;
    private String rungName = "";
    private long epochs;
    private long plannedEpochs;
    private double best = Double.NaN;
    private int bestCandidate;
    private long lastLog;

    TrainingProgress(boolean maximize) {
        this.maximize = maximize;
    }

    @Override
    public synchronized void onRung(int rung, int rungs, int candidates, int untilEpoch) {
        close();
        rungName = rungs == 1
                ? candidates + " candidate(s)"
                : String.format(
                        Locale.ROOT, "rung %d/%d, %d candidate(s) to epoch %d", rung, rungs, candidates, untilEpoch);
        epochs = 0;
        plannedEpochs = (long) candidates * untilEpoch;
        if (terminal) {
            bar = new ProgressBarBuilder()
                    .setTaskName("train: " + rungName)
                    .setInitialMax(plannedEpochs)
                    .setStyle(ProgressBarStyle.ASCII)
                    .continuousUpdate()
                    .build();
        } else {
            LOG.info("train: {}", rungName);
        }
    }

    @Override
    public synchronized void onEpoch(int candidate, EpochStats stats, int bestEpoch, double bestValue) {
        epochs++;
        boolean better = maximize ? bestValue > best : bestValue < best;
        if (Double.isNaN(best) || better) {
            best = bestValue;
            bestCandidate = candidate + 1;
        }
        String message = String.format(Locale.ROOT, "best %.4f (candidate %d)", best, bestCandidate);
        if (bar != null) {
            bar.stepTo(Math.min(epochs, plannedEpochs));
            bar.setExtraMessage(message);
        } else if (!terminal && System.nanoTime() - lastLog > LOG_INTERVAL_NANOS) {
            lastLog = System.nanoTime();
            LOG.info("train: {}: {} epochs done, {}", rungName, epochs, message);
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.stepTo(plannedEpochs); // candidates that stopped early leave epochs of the plan unused
            bar.close();
            bar = null;
        }
    }
}
