package com.jodoerp.bridge.system;

/**
 * Text as every target can hold it. JSON may carry any character escaped, but PostgreSQL refuses NUL in text, XML 1.0
 * (Tally's import) cannot carry control characters, and half a surrogate pair is no character in UTF-8: such text
 * would be refused at the ERP, or by the bridge's own store on PostgreSQL, as a database error. Tab, line feed and
 * carriage return are ordinary text and pass.
 */
public final class StorableText {

    private StorableText() {
    }

    /** Where the first character no target stores is (0-based), or -1 when there is none. */
    public static int firstUnstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a whole pair: one character beyond the basic plane, such as an emoji
                continue;
            }
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF
                    || Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
