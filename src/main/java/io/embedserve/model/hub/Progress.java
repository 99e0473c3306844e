package io.embedserve.model.hub;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What a fetch prints while it downloads. On a terminal, one line per file redrawn in place as
 * whole percents pass; elsewhere (a log, a pipe, a Docker build) one line per file when it starts,
 * so that the output stays readable.
 */
final class Progress {

    private final PrintStream out;
    private final boolean terminal;
    private String file;
    private long size;
    private int shownPercent;

    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void start(String path, long bytes, long resumedAt) {
        file = path;
        size = bytes;
        shownPercent = -1;
        if (terminal) {
            advance(resumedAt);
        } else {
            out.println("  " + path + " (" + megabytes(bytes)
                    + (resumedAt > 0 ? ", continuing at " + megabytes(resumedAt) : "") + ")");
        }
    }

    void advance(long written) {
        if (!terminal || file == null) {
            return;
        }
        int percent = size == 0 ? 100 : (int) (100 * Math.min(written, size) / size);
        if (percent != shownPercent) {
            shownPercent = percent;
            out.print("\r  " + file + String.format(Locale.ROOT, " %3d%% of %s", percent, megabytes(size)));
            out.flush();
        }
    }

    void stop() {
        if (terminal && file != null) {
            out.println();
        }
        file = null;
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
