package dev.caravan.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Successive halving (Jamieson and Talwalkar, 2016; the synchronous form of ASHA): every candidate trains to the
 * first rung, the best third of them go on to the next rung, and so on up to the full number of epochs. Rungs are
 * a factor {@value #REDUCTION} apart and end at the maximum; none is shorter than {@value #MIN_RUNG_EPOCHS} epochs,
 * since fewer say little about a candidate. Decisions depend on the validation values alone (ties go to the lower
 * index), so they are the same however many threads train.
 */
public final class SuccessiveHalving {
    public static final int REDUCTION = 3;
    static final int MIN_RUNG_EPOCHS = 5;

    private SuccessiveHalving() {}

    /** The epochs at which the candidates are compared, the last being {@code maxEpochs}. */
    public static List<Integer> rungs(int candidates, int maxEpochs) {
        List<Integer> rungs = new ArrayList<>(List.of(maxEpochs));
        int pool = candidates;
        int epochs = maxEpochs;
        while (pool > 1 && epochs / REDUCTION >= MIN_RUNG_EPOCHS) {
            epochs /= REDUCTION;
            pool = (pool + REDUCTION - 1) / REDUCTION;
            rungs.add(0, epochs);
        }
        return rungs;
    }

    /** A candidate's standing at a rung: its best monitored validation value (NaN: it never had a finite one). */
    public record Standing(int candidate, double value) {}

    /** How many of {@code pool} candidates a rung keeps: a third, rounded up. */
    public static int kept(int pool) {
        return (pool + REDUCTION - 1) / REDUCTION;
    }

    /** The standings best first: by value in the monitor's direction, NaN last, ties by candidate. */
    public static List<Standing> ranked(List<Standing> standings, boolean maximize) {
        Comparator<Standing> byValue = Comparator.comparingDouble(s -> maximize ? -s.value() : s.value());
        return standings.stream()
                .sorted(Comparator.comparing((Standing s) -> Double.isNaN(s.value()))
                        .thenComparing(byValue)
                        .thenComparingInt(Standing::candidate))
                .toList();
    }
}
