package dev.caravan.clean;

import dev.caravan.data.BadCell;
import dev.caravan.data.CaravanException;
import dev.caravan.data.Column;
import dev.caravan.data.ColumnType;
import dev.caravan.data.IoErrors;
import dev.caravan.data.NumericColumn;
import dev.caravan.data.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link CleaningPolicy} to a table. Each removed row goes to the quarantine file with its line, the
 * first reason that applies and a detail naming the column; the rest are imputed and returned.
 */
public final class Cleaner {
    private final CleaningPolicy policy;

    public Cleaner(CleaningPolicy policy) {
        this.policy = policy;
    }

    /** Cleans {@code table}, writing removed rows to {@code quarantineFile} (only created if a row is removed). */
    public CleanResult clean(Table table, Path quarantineFile) {
        int targetIndex = table.indexOf(policy.target());
        table.column(policy.target()); // fails with the list of columns when the target is absent
        validateConfiguredColumns(table);
        Verdicts verdicts = new Verdicts(table.rowCount());
        markBadCells(table, verdicts);
        markMissingTarget(table, targetIndex, verdicts);
        markMissingValues(table, targetIndex, verdicts);
        markOutOfRange(table, verdicts);
        if (policy.dropDuplicates()) {
            markDuplicates(table, verdicts);
        }
        Path written = verdicts.removedCount() == 0 ? null : writeQuarantine(table, verdicts, quarantineFile);
        if (verdicts.removedCount() == table.rowCount()) {
            throw CaravanException.badData("every one of the " + table.rowCount() + " rows of "
                    + Path.of(table.source()).getFileName() + " was quarantined (" + verdicts.countsByReason()
                    + "); see " + written);
        }
        Table kept = table.select(verdicts.keptRows());
        Map<String, String> imputed = new LinkedHashMap<>();
        for (int i = 0; i < kept.columnCount(); i++) {
            if (i != targetIndex) {
                kept = impute(kept, kept.columns().get(i), imputed);
            }
        }
        return new CleanResult(kept, table.rowCount(), verdicts.countsByReason(), imputed, written);
    }

    private void validateConfiguredColumns(Table table) {
        for (String column : policy.missingByColumn().keySet()) {
            table.column(column);
        }
        for (String column : policy.ranges().keySet()) {
            if (table.column(column).type() != ColumnType.NUMERIC) {
                throw CaravanException.badData("range rule for column '" + column + "': the column is "
                        + table.column(column).type().id() + ", range rules need a numeric column");
            }
        }
    }

    private static void markBadCells(Table table, Verdicts verdicts) {
        for (Map.Entry<Integer, List<BadCell>> entry : table.badCells().entrySet()) {
            BadCell cell = entry.getValue().get(0);
            QuarantineReason reason = cell.kind() == BadCell.Kind.NON_FINITE
                    ? QuarantineReason.NON_FINITE_VALUE
                    : QuarantineReason.UNPARSEABLE_VALUE;
            String column = table.columns().get(cell.column()).name();
            verdicts.remove(
                    entry.getKey(),
                    reason,
                    column + "='" + cell.text() + "' is not "
                            + article(table.columns().get(cell.column()).type()));
        }
    }

    private static String article(ColumnType type) {
        return switch (type) {
            case NUMERIC -> "a finite number";
            case DATE -> "a yyyy-MM-dd date";
            case BOOLEAN -> "a boolean";
            case CATEGORICAL -> "a category";
        };
    }

    private void markMissingTarget(Table table, int targetIndex, Verdicts verdicts) {
        Column target = table.columns().get(targetIndex);
        int missing = 0;
        int firstRow = -1;
        for (int row = 0; row < table.rowCount(); row++) {
            if (target.isMissing(row) && !table.badCells().containsKey(row)) {
                missing++;
                firstRow = firstRow < 0 ? row : firstRow;
                verdicts.remove(row, QuarantineReason.MISSING_TARGET, target.name() + " is missing");
            }
        }
        if (missing > 0 && !policy.dropMissingTarget()) {
            throw CaravanException.badData(table.source() + " line " + table.lineNumber(firstRow) + ": target '"
                    + target.name() + "' is missing (" + missing + " rows in all); fill it in, or set"
                    + " cleaning.missingTarget: drop to quarantine such rows");
        }
    }

    private void markMissingValues(Table table, int targetIndex, Verdicts verdicts) {
        for (int i = 0; i < table.columnCount(); i++) {
            Column column = table.columns().get(i);
            if (i == targetIndex || strategyFor(column) != MissingStrategy.DROP) {
                continue;
            }
            for (int row = 0; row < table.rowCount(); row++) {
                if (column.isMissing(row)) {
                    verdicts.remove(row, QuarantineReason.MISSING_VALUE, column.name() + " is missing");
                }
            }
        }
    }

    private void markOutOfRange(Table table, Verdicts verdicts) {
        for (Map.Entry<String, CleaningPolicy.Range> rule : policy.ranges().entrySet()) {
            NumericColumn column = (NumericColumn) table.column(rule.getKey());
            CleaningPolicy.Range range = rule.getValue();
            for (int row = 0; row < table.rowCount(); row++) {
                double value = column.get(row);
                if (!Double.isNaN(value) && !range.contains(value)) {
                    verdicts.remove(
                            row,
                            QuarantineReason.OUT_OF_RANGE,
                            column.name() + "=" + column.render(row) + " is outside " + range);
                }
            }
        }
    }

    /** Keeps the first of each group of identical rows; hashes whole rows, then compares on a hash match. */
    private static void markDuplicates(Table table, Verdicts verdicts) {
        int rows = table.rowCount();
        long[] hashes = RowHashing.hashRows(table);
        int[] slots = new int[Integer.highestOneBit(Math.max(2, rows) * 2) * 2];
        int mask = slots.length - 1;
        for (int row = 0; row < rows; row++) {
            if (verdicts.isRemoved(row)) {
                continue;
            }
            int slot = (int) (hashes[row] & mask);
            while (slots[slot] != 0) {
                int earlier = slots[slot] - 1;
                if (hashes[earlier] == hashes[row] && RowHashing.sameRow(table, earlier, row)) {
                    verdicts.remove(
                            row, QuarantineReason.DUPLICATE_ROW, "duplicate of line " + table.lineNumber(earlier));
                    break;
                }
                slot = (slot + 1) & mask;
            }
            if (slots[slot] == 0) {
                slots[slot] = row + 1;
            }
        }
    }

    private MissingStrategy strategyFor(Column column) {
        MissingStrategy configured = policy.missingByColumn().get(column.name());
        boolean averageable = column.type() == ColumnType.NUMERIC || column.type() == ColumnType.DATE;
        if (configured != null) {
            if (!averageable && (configured == MissingStrategy.MEAN || configured == MissingStrategy.MEDIAN)) {
                throw CaravanException.badData("cleaning.missing for column '" + column.name() + "': "
                        + configured.id() + " needs a numeric or date column, this one is "
                        + column.type().id() + " (use mode or drop)");
            }
            return configured;
        }
        MissingStrategy fallback = policy.missing();
        return averageable || fallback == MissingStrategy.DROP ? fallback : MissingStrategy.MODE;
    }

    private Table impute(Table table, Column column, Map<String, String> imputed) {
        MissingStrategy strategy = strategyFor(column);
        if (strategy == MissingStrategy.DROP) {
            return table;
        }
        Imputation.Fill fill = Imputation.compute(column, strategy);
        if (fill == null) {
            return table; // not one value to impute from: the transform treats the column's cells as missing
        }
        imputed.put(column.name(), fill.text());
        Column filled = Imputation.apply(column, fill);
        return filled == column ? table : table.withColumn(filled);
    }

    private static Path writeQuarantine(Table table, Verdicts verdicts, Path file) {
        try {
            QuarantineWriter.write(table, verdicts, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the quarantine file " + file + ": " + IoErrors.describe(e), e);
        }
    }

    /** The first reason (and its detail) for each removed row. */
    static final class Verdicts {
        private final QuarantineReason[] reasons;
        private final String[] details;
        private int removed;

        Verdicts(int rows) {
            reasons = new QuarantineReason[rows];
            details = new String[rows];
        }

        void remove(int row, QuarantineReason reason, String detail) {
            if (reasons[row] == null) {
                reasons[row] = reason;
                details[row] = detail;
                removed++;
            }
        }

        boolean isRemoved(int row) {
            return reasons[row] != null;
        }

        QuarantineReason reason(int row) {
            return reasons[row];
        }

        String detail(int row) {
            return details[row];
        }

        int removedCount() {
            return removed;
        }

        int[] keptRows() {
            int[] kept = new int[reasons.length - removed];
            int next = 0;
            for (int row = 0; row < reasons.length; row++) {
                if (reasons[row] == null) {
                    kept[next++] = row;
                }
            }
            return kept;
        }

        Map<String, Integer> countsByReason() {
            Map<QuarantineReason, Integer> counts = new EnumMap<>(QuarantineReason.class);
            for (QuarantineReason reason : reasons) {
                if (reason != null) {
                    counts.merge(reason, 1, Integer::sum);
                }
            }
            Map<String, Integer> byId = new LinkedHashMap<>();
            counts.forEach((reason, count) -> byId.put(reason.id(), count));
            return byId;
        }
    }
}
