package dev.caravan.clean;

import dev.caravan.data.AtomicFiles;
import dev.caravan.data.BadCell;
import dev.caravan.data.Column;
import dev.caravan.data.Table;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Writes quarantined rows as CSV: line, reason, detail, then the row's cells as they were read. */
final class QuarantineWriter {
    private QuarantineWriter() {}

    static void write(Table table, Cleaner.Verdicts verdicts, Path file) throws IOException {
        AtomicFiles.write(file, bytes -> {
            Writer out = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
            out.write("line,reason,detail");
            for (String name : table.columnNames()) {
                out.write(',');
                writeCell(out, name);
            }
            out.write('\n');
            for (int row = 0; row < table.rowCount(); row++) {
                if (verdicts.isRemoved(row)) {
                    writeRow(out, table, verdicts, row);
                }
            }
            out.flush();
        });
    }

    private static void writeRow(Writer out, Table table, Cleaner.Verdicts verdicts, int row) throws IOException {
        out.write(Long.toString(table.lineNumber(row)));
        out.write(',');
        out.write(verdicts.reason(row).id());
        out.write(',');
        writeCell(out, verdicts.detail(row));
        List<BadCell> badCells = table.badCells().getOrDefault(row, List.of());
        for (int i = 0; i < table.columnCount(); i++) {
            out.write(',');
            writeCell(out, cellText(table.columns().get(i), row, i, badCells));
        }
        out.write('\n');
    }

    /** A bad cell's original text; otherwise the parsed value rendered back. */
    private static String cellText(Column column, int row, int index, List<BadCell> badCells) {
        for (BadCell cell : badCells) {
            if (cell.column() == index) {
                return cell.text();
            }
        }
        return column.render(row);
    }

    private static void writeCell(Writer out, String text) throws IOException {
        boolean quote =
                text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
        if (quote) {
            out.write('"');
            out.write(text.replace("\"", "\"\""));
            out.write('"');
        } else {
            out.write(text);
        }
    }
}
