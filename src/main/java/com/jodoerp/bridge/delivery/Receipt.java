package com.jodoerp.bridge.delivery;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A payment record as an ERP's receipt sees it: whether to book it or reverse it (or neither), how much, for whom,
 * on which day (the school's day, not UTC's), with which reference and which fee components. Cred EMIs are not the
 * school's receipts (the parent pays the lender), so they are never booked.
 *
 * @param date the day the money came in, in the school's time zone: paid_at, else the event's time
 * @param paidFor the student and school year the payment is for, as the event described them, for the entry's
 *                description: the student's, or what a Pay order's payer says of the student; empty when neither
 */
public record Receipt(Intent intent, String paymentId, String product, String status, BigDecimal amount, String mode,
                      LocalDate date, String reference, List<Line> components, Map<?, ?> student, Map<?, ?> payer,
                      String event, String eventId, String paidFor) {

    /** What the record asks of the books. */
    public enum Intent {
        /** Money came in: book it once. */
        BOOK,
        /** The payment was cancelled or reversed: the receipt must not count. */
        REVERSE,
        /**
         * The money never came (bounced, failed, expired): nothing to book, but a receipt an earlier record booked
         * (a "debited" the bank then returned) must not count, where the books can be asked whether there is one.
         */
        VOID,
        /** Nothing to book: not a payment, or an EMI. */
        NONE
    }

    /**
     * How books say an entry stands, in the answer of a reconciliation route (ERPNext's docstatus, Tally's
     * ISCANCELLED), compared with what each payment's status asks of them.
     */
    public static final String BOOKED = "booked";
    public static final String CANCELLED = "cancelled";
    public static final String DRAFT = "draft";

    /** One fee component of the payment. */
    public record Line(String feeComponent, BigDecimal amount) {
    }

    private static final Set<String> MONEY_IN = Set.of("ADDED", "UPDATED", "DEBITED", "SETTLED");
    private static final Set<String> REVERSALS = Set.of("CANCELLED", "REVERSED");
    private static final Set<String> NEVER_CAME = Set.of("BOUNCED", "FAILED", "EXPIRED");

    /**
     * The record as a receipt. A record of money coming in (an "added" or "debited" delivered late, or again, or at
     * the same time as the record that undid it) books nothing when the payment's winning record undid it
     * ({@code standing}, by payment id): it is voided when the money never came, and reversed when the payment was
     * cancelled or reversed, as that record is, so that a late booking never brings the money back into the books.
     */
    static Receipt of(Map<?, ?> record, ZoneId schoolZone, Function<String, Intent> standing) {
        Map<?, ?> payment = record.get("payment") instanceof Map<?, ?> map ? map : Map.of();
        Map<?, ?> student = record.get("student") instanceof Map<?, ?> map ? map : Map.of();
        Map<?, ?> payer = record.get("payer") instanceof Map<?, ?> map ? map : Map.of();
        String status = text(payment.get("status"));
        String product = text(payment.get("product"));
        Intent intent = !"payment".equals(record.get("kind")) || "cred".equals(product) ? Intent.NONE
                : intentOf(status);
        String paymentId = text(payment.get("id"));
        boolean identified = paymentId != null && !paymentId.isBlank();
        if (intent == Intent.VOID && !identified) {
            intent = Intent.NONE; // without Jodo's payment id there is no receipt to look for
        } else if (intent == Intent.BOOK && identified) {
            Intent standsAs = standing.apply(paymentId);
            intent = standsAs == Intent.VOID || standsAs == Intent.REVERSE ? standsAs : intent;
        }
        String paidAt = text(payment.get("paid_at"));
        Instant when = Instant.parse(paidAt != null ? paidAt : String.valueOf(record.get("occurred_at")));
        String reference = first(text(payment.get("settlement_utr")), text(payment.get("transaction_id")),
                text(payment.get("reference_id")), paymentId);
        List<Line> lines = new ArrayList<>();
        if (payment.get("components") instanceof List<?> components) {
            for (Object component : components) {
                Map<?, ?> line = (Map<?, ?>) component;
                lines.add(new Line(text(line.get("fee_component")), decimal(line.get("amount"))));
            }
        }
        Receipt receipt = new Receipt(intent, paymentId, product, status, decimal(payment.get("amount")),
                text(payment.get("mode")), LocalDate.ofInstant(when, schoolZone), reference, List.copyOf(lines),
                student, payer, text(record.get("event")), text(record.get("event_id")),
                paidFor(student, payer, text(record.get("jodo_student_id"))));
        if (intent == Intent.BOOK || intent == Intent.REVERSE) {
            receipt.requireBookable();
        }
        return receipt;
    }

    /** The statuses that undo a booking: the payment was cancelled or reversed, or its money never came. */
    static Set<String> undoingStatuses() {
        Set<String> undoing = new TreeSet<>(REVERSALS);
        undoing.addAll(NEVER_CAME);
        return undoing;
    }

    /** What a school payment (not a Cred EMI) of this status asks of the books. */
    public static Intent intentOf(String status) {
        return MONEY_IN.contains(status) ? Intent.BOOK : REVERSALS.contains(status) ? Intent.REVERSE
                : NEVER_CAME.contains(status) ? Intent.VOID : Intent.NONE;
    }

    /**
     * A receipt is filed under Jodo's payment id and is for money that came in. The canonical record lets a sparse
     * payload through with nulls (a file or a table keeps what was sent), but books cannot take a voucher without
     * its key or its amount, nor one of zero or less, which would turn the entries around: such a record is a
     * dead letter saying what is missing, never a voucher guessed.
     */
    private void requireBookable() {
        String refused = paymentId == null || paymentId.isBlank()
                ? "it has no payment id (payment.id), the key its voucher is filed under"
                : amount == null ? "it has no amount (payment.amount, and no fee components to add up)"
                : amount.signum() <= 0
                ? "its amount is " + amount.toPlainString() + ", and a receipt is for more than zero"
                : null;
        if (refused != null) {
            throw new PermanentDeliveryException("the " + event + " record books no receipt: " + refused);
        }
    }

    /**
     * The entry's description, for the accountant reading the ledger: whose payment, for which student and school
     * year, and how it splits into fee components.
     */
    public String description() {
        StringBuilder description = new StringBuilder("Jodo ").append(product).append(" payment ").append(paymentId)
                .append(" (").append(event).append(")");
        if (!paidFor.isEmpty()) {
            description.append(" for ").append(paidFor);
        }
        for (Line line : balancedLines()) {
            description.append("; ").append(line.feeComponent() == null ? "unallocated" : line.feeComponent())
                    .append(' ').append(line.amount().toPlainString());
        }
        return description.toString();
    }

    /**
     * "Asha Rao (ADM/0457), G5A, 2024-2025": what the record says of the student, the parts it has; when it describes
     * no student but names Jodo's (a payment sent without its student block), "Jodo student 7268", so the entry booked
     * to the walk-in party can still be traced to the student by the accountant.
     */
    private static String paidFor(Map<?, ?> student, Map<?, ?> payer, String jodoStudentId) {
        String name = first(text(student.get("fullname")), text(payer.get("student_name")));
        String id = first(text(student.get("custom_identifier")), text(student.get("identifier")),
                text(payer.get("custom_identifier")), text(payer.get("identifier")));
        Object grade = student.get("grade") instanceof Map<?, ?> map ? map.get("code") : payer.get("grade");
        Object start = student.containsKey("academic_year_start") ? student.get("academic_year_start")
                : payer.get("academic_year_start");
        Object end = student.containsKey("academic_year_end") ? student.get("academic_year_end")
                : payer.get("academic_year_end");
        List<String> parts = new ArrayList<>();
        if (name != null || id != null) {
            parts.add(name == null ? id : id == null ? name : name + " (" + id + ")");
        }
        if (grade != null) {
            parts.add(text(grade));
        }
        if (start != null && end != null) {
            parts.add(start + "-" + end);
        }
        if (parts.isEmpty() && jodoStudentId != null) {
            parts.add("Jodo student " + jodoStudentId);
        }
        return String.join(", ", parts);
    }

    /** The student's value of {@code field} (identifier, custom_identifier, fullname, ...), or null. */
    public String student(String field) {
        return text(student.get(field));
    }

    /**
     * Whether the books' mapping (config/erpnext.yaml, config/tally.yaml) books a Pay order to the student its payer
     * names ({@code pay-orders-party: payer}) rather than to its walk-in party ({@code walk-in}, the default: a party
     * that is not in the books yet would make the receipt a dead letter until it is).
     */
    public static boolean payerParty(MappingFile mapping) {
        return mapping.oneOf("pay-orders-party", "walk-in", List.of("walk-in", "payer")).equals("payer");
    }

    /**
     * Who paid, for the books' party: the student's value of {@code field}; for a Pay order, page or link, which names
     * no Jodo student, what its payer says of the student ({@code identifier}, {@code custom_identifier}, and the
     * student's name for {@code fullname}) when {@code fromPayer}; null when neither says.
     */
    public String party(String field, boolean fromPayer) {
        if (!student.isEmpty() || !fromPayer) {
            return student(field);
        }
        return text(payer.get("fullname".equals(field) ? "student_name" : field));
    }

    /**
     * The fee components as lines that add up to the amount: a missing amount on a component, or a total that
     * differs, puts the rest on a line with no fee component, so a voucher always balances.
     */
    public List<Line> balancedLines() {
        List<Line> balanced = new ArrayList<>();
        BigDecimal rest = amount;
        for (Line line : components) {
            if (line.amount() != null && line.amount().signum() > 0 && line.amount().compareTo(rest) <= 0) {
                balanced.add(line);
                rest = rest.subtract(line.amount());
            }
        }
        if (rest.signum() != 0) {
            balanced.add(new Line(null, rest));
        }
        return balanced;
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static BigDecimal decimal(Object value) {
        return value == null ? null : value instanceof BigDecimal exact ? exact : new BigDecimal(String.valueOf(value));
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
