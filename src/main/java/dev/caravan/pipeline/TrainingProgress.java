package dev.caravan.pipeline;

import dev.caravan.train.EpochStats;
import dev.caravan.train.MlpTrainer;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows training progress: on a terminal, a progress bar per candidate on stderr (epoch, loss, best so far);
 * otherwise a log line per candidate at most every few seconds, so CI logs stay readable.
 */
final class TrainingProgress implements MlpTrainer.EpochListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingProgress.class);
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final boolean terminal = System.console() != null;
    private final int candidates;
    private final int maxEpochs;
    private ProgressBar bar;
    private int barCandidate = -1;
    private long lastLog;

    TrainingProgress(int candidates, int maxEpochs) {
        this.candidates = candidates;
        this.maxEpochs = maxEpochs;
    }

    @Override
    public void onEpoch(int candidate, EpochStats stats, int bestEpoch, double bestValue) {
        String message = String.format(
                Locale.ROOT,
                "loss %.4f val %.4f best %.4f @%d",
                stats.trainLoss(),
                stats.validationLoss(),
                bestValue,
                bestEpoch);
        if (terminal) {
            if (candidate != barCandidate) {
                close();
                bar = new ProgressBarBuilder()
                        .setTaskName("candidate " + (candidate + 1) + "/" + candidates)
                        .setInitialMax(maxEpochs)
                        .setStyle(ProgressBarStyle.ASCII)
                        .continuousUpdate()
                        .build();
                barCandidate = candidate;
            }
            bar.stepTo(stats.epoch());
            bar.setExtraMessage(message);
        } else if (System.nanoTime() - lastLog > LOG_INTERVAL_NANOS || stats.epoch() == 1) {
            lastLog = System.nanoTime();
            LOG.info("train: candidate {}/{} epoch {}: {}", candidate + 1, candidates, stats.epoch(), message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
