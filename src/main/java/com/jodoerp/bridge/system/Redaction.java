package com.jodoerp.bridge.system;

import java.util.regex.Pattern;

/**
 * Masks parents' contact details in text that reaches logs or an operator's screen: an ERP's error
 * message may well quote the row it refused.
 */
public final class Redaction {

    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+");
    // Ten or more digits in a row, with an optional +country code: Indian mobile numbers and the like.
    private static final Pattern PHONE = Pattern.compile("\\+?\\d[\\d -]{8,}\\d");

    private Redaction() {
    }

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = EMAIL.matcher(text).replaceAll("***@***");
        return PHONE.matcher(masked).replaceAll(match -> "*".repeat(Math.min(match.group().length(), 12)));
    }

    /**
     * A one-line summary of a failure: its type and masked message, then its root cause where that says more (an
     * SFTP "Cannot connect to sftp://..." hides "host key has changed" in its cause), at most {@code max} characters.
     */
    public static String summary(Throwable error, int max) {
        Throwable shown = error;
        while (shown.getMessage() == null && shown.getCause() != null && shown.getCause() != shown) {
            shown = shown.getCause();
        }
        String text = describe(shown);
        Throwable root = rootCause(error);
        if (root != shown && root.getMessage() != null && !text.contains(root.getMessage())) {
            text = text + " (caused by " + describe(root) + ")";
        }
        // Control characters (a NUL among them) would break the one line, and PostgreSQL refuses NUL in text.
        text = mask(text).replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
        return text.length() > max ? text.substring(0, max - 3) + "..." : text;
    }

    private static String describe(Throwable error) {
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }

    /** The innermost cause (at most 20 deep, so a cycle of causes cannot loop). */
    public static Throwable rootCause(Throwable error) {
        Throwable root = error;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        return root;
    }
}
