package io.embedserve.api;

/**
 * Client-supplied text made safe for a log line: CR, LF and other control characters are written
 * as escapes, so a request cannot forge log lines (CWE-117), and very long values are cut.
 */
final class LogSafe {

    static final int MAX_CHARS = 500;

    private LogSafe() {}

    static String of(String value) {
        if (value == null) {
            return null;
        }
        int length = Math.min(value.length(), MAX_CHARS);
        StringBuilder out = new StringBuilder(length + 16);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (value.length() > MAX_CHARS) {
            out.append("...(").append(value.length()).append(" chars)");
        }
        return out.toString();
    }
}
