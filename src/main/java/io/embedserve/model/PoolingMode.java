package io.embedserve.model;

import java.util.Locale;

/** How token vectors become one sentence vector (sentence-transformers' Pooling module). */
public enum PoolingMode {
    MEAN("pooling_mode_mean_tokens"),
    CLS("pooling_mode_cls_token"),
    MAX("pooling_mode_max_tokens"),
    LAST_TOKEN("pooling_mode_lasttoken");

    private final String configKey;

    PoolingMode(String configKey) {
        this.configKey = configKey;
    }

    /** The flag in 1_Pooling/config.json that selects this mode. */
    public String configKey() {
        return configKey;
    }

    /** The name used in /info and in the POOLING setting: mean, cls, max, lasttoken. */
    public String wireName() {
        return this == LAST_TOKEN ? "lasttoken" : name().toLowerCase(Locale.ROOT);
    }

    /** Parses mean / cls / max / lasttoken (also last_token), or returns null. */
    public static PoolingMode fromName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace("_", "");
        for (PoolingMode mode : values()) {
            if (mode.wireName().equals(wanted)) {
                return mode;
            }
        }
        return null;
    }
}
