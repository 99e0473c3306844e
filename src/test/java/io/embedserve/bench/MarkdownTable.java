package io.embedserve.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Markdown table, so that a report pastes into docs/PERFORMANCE.md as it is. */
final class MarkdownTable {

    private final List<String> lines = new ArrayList<>();

    /** Column names; a name starting with '<' is left-aligned (text), the others right-aligned (numbers). */
    MarkdownTable(String... columns) {
        StringBuilder header = new StringBuilder("|");
        StringBuilder rule = new StringBuilder("|");
        for (String column : columns) {
            boolean text = column.startsWith("<");
            header.append(' ').append(text ? column.substring(1) : column).append(" |");
            rule.append(text ? "---|" : "---:|");
        }
        lines.add(header.toString());
        lines.add(rule.toString());
    }

    MarkdownTable row(Object... cells) {
        StringBuilder row = new StringBuilder("|");
        for (Object cell : cells) {
            row.append(' ').append(cell).append(" |");
        }
        lines.add(row.toString());
        return this;
    }

    void print(PrintStream out) {
        printOpen(out);
        out.println();
    }

    /** Prints the lines so far without ending the table, for rows printed later as they are measured. */
    void printOpen(PrintStream out) {
        lines.forEach(out::println);
    }

    /** One decimal, or "-" for a figure that was not measured (NaN) or has no meaning (a ratio to zero). */
    static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "-";
    }

    static String ratio(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f×", value) : "-";
    }
}
