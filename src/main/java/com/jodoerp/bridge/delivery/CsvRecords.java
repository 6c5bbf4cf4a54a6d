package com.jodoerp.bridge.delivery;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.system.CsvCells;

/**
 * The canonical record flattened into CSV for spreadsheets and accounting imports: a header row, then one
 * row per fee component (payments), per instalment (subscriptions), per disbursement (loans), or one row
 * (students and records without such lines). The columns of a kind never move: new ones are only ever added at the
 * end of the row.
 */
final class CsvRecords {

    private record Column(String header, String path) {
    }

    /** Columns, then one per line field; {@code context} columns come last, so earlier positions never move. */
    private record Layout(List<Column> columns, String linesPath, List<Column> lineColumns, List<Column> context) {
        Layout(List<Column> columns, String linesPath, List<Column> lineColumns) {
            this(columns, linesPath, lineColumns, STUDENT_CONTEXT);
        }
    }

    private static final List<Column> COMMON = List.of(col("event_id", "event_id"), col("event", "event"),
            col("occurred_at", "occurred_at"), col("jodo_student_id", "jodo_student_id"));

    /**
     * Who paid, as the event described them: an old receipt stays tied to the school year it paid for. A Pay order,
     * page or link names no Jodo student, but its payer block often carries the student's details (custom identifier,
     * name, grade, academic year): then those fill the same columns ({@code a|b}: a, else b).
     */
    private static final List<Column> STUDENT_CONTEXT = List.of(
            col("student_custom_identifier", "student.custom_identifier|payer.custom_identifier"),
            col("student_name", "student.fullname|payer.student_name"),
            col("collector_code", "student.collector_code"), col("grade_code", "student.grade.code|payer.grade"),
            col("grade_name", "student.grade.name"),
            col("academic_year_start", "student.academic_year_start|payer.academic_year_start"),
            col("academic_year_end", "student.academic_year_end|payer.academic_year_end"));

    private static final Map<String, Layout> LAYOUTS = Map.of(
            "student", new Layout(with(col("identifier", "student.identifier"),
                    col("custom_identifier", "student.custom_identifier"), col("collector_code", "student.collector_code"),
                    col("fullname", "student.fullname"), col("grade_code", "student.grade.code"),
                    col("grade_name", "student.grade.name"), col("academic_year_start", "student.academic_year_start"),
                    col("academic_year_end", "student.academic_year_end"), col("contact_number", "student.contact_number"),
                    col("contact_email", "student.contact_email")), null, List.of(), List.of()),
            "payment", new Layout(with(col("student_identifier", "student.identifier|payer.identifier"), col("payment_id", "payment.id"),
                    col("product", "payment.product"), col("status", "payment.status"), col("amount", "payment.amount"),
                    col("currency", "payment.currency"), col("mode", "payment.mode"), col("paid_at", "payment.paid_at"),
                    col("due_date", "payment.due_date"), col("reference_id", "payment.reference_id"),
                    col("transaction_id", "payment.transaction_id"), col("settlement_utr", "payment.settlement_utr"),
                    col("remark", "payment.remark"), col("payer_name", "payer.name"),
                    col("loan_application_id", "loan.application_id")),
                    "payment.components", List.of(col("fee_component", "fee_component"),
                    col("component_amount", "amount"), col("component_settlement_utr", "settlement_utr"),
                    col("component_settled_at", "settled_at")), plus(STUDENT_CONTEXT,
                    col("subscription_id", "subscription.id"), col("initial_due_date", "payment.initial_due_date"))),
            "subscription", new Layout(with(col("subscription_id", "subscription.id"),
                    col("status", "subscription.status"), col("mandate_id", "subscription.mandate.id"),
                    col("mandate_status", "subscription.mandate.status"), col("mandate_reason", "subscription.mandate.reason"),
                    col("mandate_end_date", "subscription.mandate.end_date")),
                    "subscription.schedule", List.of(col("instalment_due_date", "due_date"),
                    col("instalment_amount", "amount"))),
            "loan", new Layout(with(col("application_id", "loan.application_id"), col("status", "loan.status"),
                    col("amount", "loan.amount"), col("agreement_signed_at", "loan.agreement_signed_at")),
                    "loan.disbursements", List.of(col("disbursement_id", "id"), col("disbursement_date", "date"),
                    col("disbursement_amount", "amount"), col("disbursed_amount", "disbursed_amount"),
                    col("is_disbursed", "is_disbursed"))));

    private CsvRecords() {
    }

    static String render(Map<?, ?> record) {
        Layout layout = LAYOUTS.get(String.valueOf(record.get("kind")));
        if (layout == null) {
            throw new IllegalArgumentException("no CSV layout for kind " + record.get("kind"));
        }
        StringBuilder csv = new StringBuilder();
        List<String> headers = new ArrayList<>();
        layout.columns().forEach(c -> headers.add(c.header()));
        layout.lineColumns().forEach(c -> headers.add(c.header()));
        layout.context().forEach(c -> headers.add(c.header()));
        CsvCells.row(csv, headers);
        List<String> parent = new ArrayList<>();
        layout.columns().forEach(c -> parent.add(text(value(record, c.path()))));
        List<String> context = new ArrayList<>();
        layout.context().forEach(c -> context.add(text(value(record, c.path()))));
        Object lines = layout.linesPath() == null ? null : value(record, layout.linesPath());
        if (lines instanceof List<?> items && !items.isEmpty()) {
            for (Object item : items) {
                List<String> cells = new ArrayList<>(parent);
                layout.lineColumns().forEach(c -> cells.add(text(value((Map<?, ?>) item, c.path()))));
                cells.addAll(context);
                CsvCells.row(csv, cells);
            }
        } else {
            List<String> cells = new ArrayList<>(parent);
            layout.lineColumns().forEach(c -> cells.add(""));
            cells.addAll(context);
            CsvCells.row(csv, cells);
        }
        return csv.toString();
    }

    /** The value at a dotted path, or at the first of several paths ({@code a|b}) that holds one. */
    private static Object value(Map<?, ?> map, String paths) {
        for (String path : paths.split("\\|")) {
            Object value = valueAt(map, path);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static Object valueAt(Map<?, ?> map, String path) {
        Object current = map;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> node)) {
                return null;
            }
            current = node.get(key);
        }
        return current;
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String text) {
            return CsvCells.text(text);
        }
        // Amounts and counts stay plain numbers: a negative amount is still -250.00, read as a number.
        return value instanceof BigDecimal decimal ? decimal.toPlainString() : String.valueOf(value);
    }

    private static Column col(String header, String path) {
        return new Column(header, path);
    }

    private static List<Column> plus(List<Column> first, Column... more) {
        List<Column> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    private static List<Column> with(Column... columns) {
        List<Column> all = new ArrayList<>(COMMON);
        all.addAll(List.of(columns));
        return all;
    }
}
