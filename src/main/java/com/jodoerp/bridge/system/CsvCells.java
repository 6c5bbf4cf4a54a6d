package com.jodoerp.bridge.system;

import java.util.List;

/**
 * CSV for spreadsheets, as accountants open it: RFC 4180 quoting, and text that a spreadsheet would run as a formula
 * shown as text. Shared by the CSV records a target writes and the reconciliation report; both carry text Jodo or an
 * ERP sent (a parent-entered name, a fee component, a payment id).
 */
public final class CsvCells {

    private CsvCells() {
    }

    /**
     * A text cell; one that a spreadsheet would run as a formula (such as {@code =HYPERLINK(...)}) starts with a
     * single quote, as OWASP recommends for CSV injection: shown as text, never evaluated. Null is empty. Numbers are
     * not text cells: a negative amount stays {@code -250.00}, read as a number.
     */
    public static String text(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        char first = text.charAt(0);
        boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
                || first == '\r';
        return formula ? "'" + text : text;
    }

    /**
     * RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; lines end with CRLF. Null is
     * empty.
     */
    public static void row(StringBuilder csv, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i) == null ? "" : cells.get(i);
            if (i > 0) {
                csv.append(',');
            }
            if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
                csv.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                csv.append(cell);
            }
        }
        csv.append("\r\n");
    }
}
