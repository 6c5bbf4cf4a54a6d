package com.jodoerp.bridge.store;

import java.util.Locale;

/**
 * Which kind of database holds the bridge's own state, decided once, from its JDBC URL: every part that behaves
 * differently by store (claims released at start, compaction, the intake journal, PostgreSQL's checks and
 * migrations) asks here.
 */
public enum StoreKind {

    /** An H2 file opened by this process alone: the embedded default. */
    EMBEDDED_H2,
    /** H2 in memory: one process, nothing on disk. */
    MEMORY_H2,
    /** H2 through a server (tcp, ssl, AUTO_SERVER): several processes may share it. */
    SHARED_H2,
    POSTGRESQL,
    OTHER;

    public static StoreKind of(String url) {
        String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (!lower.startsWith("jdbc:h2:")) {
            return OTHER;
        }
        if (lower.startsWith("jdbc:h2:mem:")) {
            return MEMORY_H2;
        }
        boolean shared = lower.startsWith("jdbc:h2:tcp:") || lower.startsWith("jdbc:h2:ssl:")
                || lower.contains("auto_server=true");
        return shared ? SHARED_H2 : EMBEDDED_H2;
    }

    /** The database an H2 URL names: what follows {@code jdbc:h2:} and a {@code file:} prefix (with its settings). */
    static String h2Name(String url) {
        return url.replaceFirst("(?i)^jdbc:h2:(file:)?", "");
    }

    public boolean h2() {
        return this == EMBEDDED_H2 || this == MEMORY_H2 || this == SHARED_H2;
    }

    /** Only this process can open the store: any claim found at start-up belongs to a process that is gone. */
    public boolean singleProcess() {
        return this == EMBEDDED_H2 || this == MEMORY_H2;
    }
}
