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
        // By code point: a whole surrogate pair (an emoji) is one character beyond the basic plane; half of one
        // comes back as the surrogate itself.
        int c;
        for (int i = 0; i < text.length(); i += Character.charCount(c)) {
            c = text.codePointAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF
                    || Character.getType(c) == Character.SURROGATE) {
                return i;
            }
        }
        return -1;
    }
}
