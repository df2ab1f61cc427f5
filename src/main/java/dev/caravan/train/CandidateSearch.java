package dev.caravan.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Trains a list of candidates, several at once (one PyTorch thread each), either each to the end ({@link
 * Strategy#EXHAUSTIVE}) or by {@link SuccessiveHalving}. Each candidate owns its generators, so the results are the
 * same bit for bit whatever the number of threads. A time budget bounds the whole: a rung that would not fit is not
 * started, and a candidate still training when the budget is spent stops at the end of its epoch.
 */
public final class CandidateSearch {
    public enum Strategy {
        EXHAUSTIVE,
        HALVING
    }

    /** One candidate's fate at a rung of halving: promoted to the next rung, or halted there. */
    public record Decision(int rung, int epoch, int candidate, double value, boolean promoted, String reason)
            implements Serializable {}

    /** The trained candidates in index order, the rung decisions, and the search in one line. */
    public record Result(List<TrainedCandidate> candidates, List<Decision> decisions, String summary) {}

    /** Told when a rung starts, for progress display. */
    public interface Listener extends MlpTrainer.EpochListener {
        void onRung(int rung, int rungs, int candidates, int untilEpoch);
    }

    private final MlpTrainer trainer;
    private final Strategy strategy;
    private final int threads;
    private final double budgetSeconds;
    private final boolean maximize;
    private final Listener listener;
    private final int replicas;

    /**
     * @param budgetSeconds 0 for no limit
     * @param replicas how many times the best candidate trains again from other seeds at the end, for an ensemble
     */
    public CandidateSearch(
            MlpTrainer trainer,
            Strategy strategy,
            int threads,
            double budgetSeconds,
            boolean maximize,
            int replicas,
            Listener listener) {
        if (threads < 1) {
            throw new IllegalArgumentException("training.threads must be >= 1, got " + threads);
        }
        if (!(budgetSeconds >= 0)) {
            throw new IllegalArgumentException("training.budget.seconds must be >= 0, got " + budgetSeconds);
        }
        this.trainer = trainer;
        this.strategy = strategy;
        this.threads = threads;
        this.budgetSeconds = budgetSeconds;
        this.maximize = maximize;
        this.listener = listener;
        this.replicas = replicas;
    }

    /**
     * The search's data: the splits as encoded, and (null unless offered) the log-encoded ones that candidates with
     * {@code logTarget} train on. With both, candidates are compared by the validation metric, RMSE in the target's
     * own units, since their losses are in different units.
     */
    private record Data(MlpTrainer.TrainingData plain, MlpTrainer.TrainingData log) {
        MlpTrainer.TrainingData of(Hyperparameters hp) {
            if (hp.logTarget() && log == null) {
                throw new IllegalArgumentException("a candidate learns the log of a target that offers none");
            }
            return hp.logTarget() ? log : plain;
        }

        double value(CandidateRun run) {
            return log == null ? run.bestValue() : run.bestMetric();
        }

        boolean maximize(boolean monitorMaximizes) {
            return log == null && monitorMaximizes;
        }
    }

    /** {@code log}: the log-encoded splits, or null when the target offers none. */
    public Result run(List<Hyperparameters> settings, MlpTrainer.TrainingData plain, MlpTrainer.TrainingData log) {
        Data data = new Data(plain, log);
        Deadline deadline = budgetSeconds > 0 ? Deadline.in(budgetSeconds) : Deadline.NONE;
        int maxEpochs =
                settings.stream().mapToInt(Hyperparameters::maxEpochs).max().orElseThrow();
        List<Integer> rungs =
                strategy == Strategy.HALVING ? SuccessiveHalving.rungs(settings.size(), maxEpochs) : List.of(maxEpochs);
        List<CandidateRun> all = new ArrayList<>();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.min(threads, settings.size()),
                task -> new Thread(task, "caravan-train-" + threadNumber.incrementAndGet()));
        try {
            for (int i = 0; i < settings.size(); i++) {
                all.add(trainer.open(i, settings.get(i), 0, data.of(settings.get(i))));
            }
            List<Decision> decisions = new ArrayList<>();
            String ending = halve(all, rungs, deadline, pool, decisions, data);
            String replicated = replicas > 0 ? replicate(all, rungs.size(), data, deadline, pool) : null;
            String summary = summary(rungs, ending);
            return new Result(
                    all.stream().map(CandidateRun::result).toList(),
                    List.copyOf(decisions),
                    replicated == null ? summary : summary + "; " + replicated);
        } finally {
            pool.shutdownNow();
            awaitTasks(pool);
            all.forEach(CandidateRun::close);
        }
    }

    /** Trains rung by rung (one rung when exhaustive); returns how the search ended, when not as planned. */
    private String halve(
            List<CandidateRun> all,
            List<Integer> rungs,
            Deadline deadline,
            ExecutorService pool,
            List<Decision> out,
            Data data) {
        List<CandidateRun> standing = all;
        for (int rung = 0; rung < rungs.size(); rung++) {
            int untilEpoch = rungs.get(rung);
            listener.onRung(rung + 1, rungs.size(), standing.size(), untilEpoch);
            trainAll(standing, untilEpoch, deadline, pool);
            if (rung == rungs.size() - 1) {
                return deadline.passed() ? "the time budget ran out during the last rung" : null;
            }
            standing = promote(standing, rung + 1, out, data);
            int next = rungs.get(rung + 1);
            if (!fits(all, standing, next, deadline)) {
                String reason = String.format(
                        Locale.ROOT,
                        "time budget: rung %d (to epoch %d) would not fit in %.0f s",
                        rung + 2,
                        next,
                        budgetSeconds);
                standing.forEach(run -> run.halt(reason));
                return reason;
            }
        }
        throw new IllegalStateException("no rung");
    }

    /** Waits for tasks still in native training code: closing their models under them would free live memory. */
    private static void awaitTasks(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Trains the best candidate's settings again from {@link #replicas} other seeds, as new candidates after the
     * others, when the time left allows; returns what it did.
     */
    private String replicate(List<CandidateRun> all, int rungs, Data data, Deadline deadline, ExecutorService pool) {
        List<SuccessiveHalving.Standing> ranked = SuccessiveHalving.ranked(
                all.stream()
                        .map(run -> new SuccessiveHalving.Standing(run.index(), data.value(run)))
                        .toList(),
                data.maximize(maximize));
        CandidateRun best = all.get(ranked.get(0).candidate());
        if (Double.isNaN(data.value(best))) {
            return null;
        }
        List<CandidateRun> copies = new ArrayList<>();
        int first = all.size();
        try {
            for (int r = 1; r <= replicas; r++) {
                copies.add(trainer.open(first + r - 1, best.hyperparameters(), r, data.of(best.hyperparameters())));
            }
        } catch (RuntimeException e) {
            copies.forEach(CandidateRun::close);
            throw e;
        }
        int epochs = best.hyperparameters().maxEpochs();
        if (!fits(all, copies, epochs, deadline)) {
            copies.forEach(CandidateRun::close);
            return "no time left to train candidate " + (best.index() + 1) + " again for an ensemble";
        }
        all.addAll(copies);
        listener.onRung(rungs + 1, rungs + 1, copies.size(), epochs);
        trainAll(copies, epochs, deadline, pool);
        return String.format(
                Locale.ROOT,
                "candidates %d to %d are candidate %d trained again from other seeds, for an ensemble",
                first + 1,
                first + replicas,
                best.index() + 1);
    }

    /** Keeps the best third of the rung's candidates and halts the others, recording each decision. */
    private List<CandidateRun> promote(List<CandidateRun> standing, int rung, List<Decision> out, Data data) {
        List<SuccessiveHalving.Standing> ranked = SuccessiveHalving.ranked(
                standing.stream()
                        .map(run -> new SuccessiveHalving.Standing(run.index(), data.value(run)))
                        .toList(),
                data.maximize(maximize));
        int kept = SuccessiveHalving.kept(standing.size());
        List<CandidateRun> promoted = new ArrayList<>();
        for (int place = 0; place < ranked.size(); place++) {
            int candidate = ranked.get(place).candidate();
            CandidateRun run = standing.stream()
                    .filter(r -> r.index() == candidate)
                    .findFirst()
                    .orElseThrow();
            boolean keep = place < kept;
            String reason = String.format(
                    Locale.ROOT,
                    "rung %d: %s of %d, %s",
                    rung,
                    ordinal(place + 1),
                    ranked.size(),
                    keep
                            ? (run.finished() ? "kept; early stopping had ended it" : "promoted")
                            : "halted (the best " + kept + " go on)");
            out.add(new Decision(rung, run.epoch(), run.index(), data.value(run), keep, reason));
            if (keep) {
                promoted.add(run);
            } else {
                run.halt("halted at rung " + rung + " (epoch " + run.epoch() + "): " + ordinal(place + 1) + " of "
                        + ranked.size());
            }
        }
        return promoted;
    }

    private static String ordinal(int n) {
        String suffix = n % 100 >= 11 && n % 100 <= 13
                ? "th"
                : switch (n % 10) {
                    case 1 -> "st";
                    case 2 -> "nd";
                    case 3 -> "rd";
                    default -> "th";
                };
        return n + suffix;
    }

    private void trainAll(List<CandidateRun> runs, int untilEpoch, Deadline deadline, ExecutorService pool) {
        List<Callable<Void>> tasks = runs.stream()
                .filter(run -> !run.finished())
                .map(run -> (Callable<Void>) () -> {
                    run.advance(untilEpoch, deadline);
                    return null;
                })
                .toList();
        try {
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("a candidate failed: " + e.getCause(), e.getCause());
        }
    }

    /** Whether the next rung's epochs, at the pace so far, fit in the time left. */
    private boolean fits(List<CandidateRun> all, List<CandidateRun> standing, int untilEpoch, Deadline deadline) {
        int epochs = all.stream().mapToInt(CandidateRun::epoch).sum();
        double secondsPerEpoch = epochs == 0
                ? 0
                : all.stream().mapToDouble(CandidateRun::seconds).sum() / epochs;
        List<CandidateRun> training =
                standing.stream().filter(run -> !run.finished()).toList();
        double work = training.stream()
                        .mapToInt(run -> Math.max(0, untilEpoch - run.epoch()))
                        .sum()
                * secondsPerEpoch;
        return work / Math.max(1, Math.min(threads, training.size())) <= deadline.secondsLeft();
    }

    private String summary(List<Integer> rungs, String ending) {
        String rungText = rungs.stream().map(String::valueOf).collect(Collectors.joining(", "));
        String text = strategy == Strategy.HALVING
                ? "successive halving, rungs at epochs " + rungText + ", " + threads + " thread(s)"
                : "each candidate trained to the end (at most " + rungText + " epochs), " + threads + " thread(s)";
        return ending == null ? text : text + "; " + ending;
    }
}
