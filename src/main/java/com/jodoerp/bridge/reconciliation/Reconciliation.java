package com.jodoerp.bridge.reconciliation;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.jodoerp.bridge.delivery.Receipt;
import com.jodoerp.bridge.delivery.TargetCatalog;
import com.jodoerp.bridge.delivery.TargetRoutes;
import com.jodoerp.bridge.delivery.TargetsProperties;
import com.jodoerp.bridge.flow.Flow;
import com.jodoerp.bridge.flow.SchoolProperties;
import com.jodoerp.bridge.reconciliation.BridgeSide.LedgerRow;
import com.jodoerp.bridge.store.Claims;
import com.jodoerp.bridge.store.StoreKind;
import com.jodoerp.bridge.system.DurableFiles;
import com.jodoerp.bridge.system.FolderSync;
import com.jodoerp.bridge.system.Redaction;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The daily reconciliation: for one day (the school's), what came in and where each target stands, in counts and
 * exact amounts, and, where the ERP can be read back (a database target with a reconciliation query, ERPNext,
 * Tally), every payment on which the ERP and the bridge differ. Reads the day through indexes only: the payment
 * ledger by day, deliveries and events by key.
 */
@Component("dailyReconciliation")
public class Reconciliation {

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);
    private static final DurableFiles REPORTS = new DurableFiles(new FolderSync("Reconciliation folder",
            "a report written just before may be missing until the next check writes it again"));
    private static final String UNREADABLE = "the ERP could not be read: ";
    private static final String READING = "being read from the ERP, in the background: ask again in a moment";

    /** A count and an amount, exact. */
    public record Tally(String key, long count, BigDecimal amount) {
    }

    /** A payment on which the ERP and the bridge differ. */
    public record Difference(String paymentId, String eventId, String kind, BigDecimal bridgeAmount,
                             BigDecimal erpAmount, String bridgeStatus, String erpStatus) {
    }

    /**
     * What the ERP holds, compared: or why it cannot be read.
     *
     * @param bridgeDelivered every payment of the day delivered to the target, whatever became of its money
     * @param erpTotal        every payment of the day the ERP holds, cancelled and bounced ones too; null unread
     * @param bridgeBooked    the money that came in and stands (Jodo's added, updated, debited, settled), delivered:
     *                        what the books must hold; bounced, cancelled and reversed payments count for nothing
     * @param erpBooked       what the ERP books of the payments compared (submitted entries, uncancelled vouchers, or
     *                        rows whose status says money came in), and of those it holds that are differences
     *                        (unknown to the bridge; booked for money that never came); null unread. Equal to
     *                        bridgeBooked when the books are right; otherwise the differences make up the gap exactly
     * @param readAt          when the ERP's side compared here was read (it is read in the background), or null
     */
    public record ErpView(boolean available, String note, BigDecimal bridgeDelivered, BigDecimal erpTotal,
                          BigDecimal bridgeBooked, BigDecimal erpBooked, List<Difference> differences,
                          Instant readAt) {
        /** The target offers a read of the ERP and it failed: the day's differences are unknown, not none. */
        public boolean unreadable() {
            return !available && note != null && note.startsWith(UNREADABLE);
        }

        /** The ERP's side has not been read yet: a read is under way (the ops page looks again shortly). */
        @JsonProperty("reading")
        public boolean reading() {
            return !available && READING.equals(note);
        }
    }

    /** One target's day. */
    public record TargetDay(String target, String transport, List<Tally> events, List<Tally> payments,
                            List<Tally> paymentsByStatus, List<Tally> paymentsByFeeComponent, ErpView erp) {
    }

    /**
     * The day's report.
     *
     * @param pastRetention the day's payments, by status, whose winning record was received longer ago than the bridge
     *                      keeps events (bridge.retention.delivered): their deliveries are pruned with them, so they
     *                      are in no target's figures and are not compared with the ERP
     */
    public record Report(LocalDate date, String timeZone, Instant from, Instant to, List<Tally> received,
                         List<Tally> receivedByEvent, List<TargetDay> targets, List<Tally> pastRetention) {
        public int differences() {
            return targets.stream().mapToInt(target -> target.erp().differences().size()).sum();
        }
    }

    /** What the ERP holds for one payment: its amount and its status, in the ERP's words. */
    private record Held(BigDecimal amount, String status) {
    }

    /** The ERP's payments, and whether their statuses are the books' (booked, cancelled, draft) or Jodo's. */
    private record Holdings(Map<String, Held> byPayment, boolean books) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final StoreKind store;
    private final TargetCatalog targets;
    private final TargetRoutes targetRoutes;
    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final ErpReads reads;
    private final ZoneId zone;
    private final ReconciliationProperties properties;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Integer> openDifferences = new ConcurrentHashMap<>();
    private final Map<String, Integer> unreadable = new ConcurrentHashMap<>();
    private volatile LocalDate lastDay;
    /** Days whose file was written while an ERP could not be read (the latest week's, DailyFiles.REREAD_DAYS). */
    private final Set<LocalDate> unreadFiles = ConcurrentHashMap.newKeySet();

    public Reconciliation(NamedParameterJdbcTemplate jdbc, StoreKind store, TargetCatalog targets,
                          TargetRoutes targetRoutes, CamelContext camel, ProducerTemplate producer, ErpReads reads,
                          SchoolProperties school, ReconciliationProperties properties, MeterRegistry registry,
                          Clock clock) {
        this.jdbc = jdbc;
        this.store = store;
        this.targets = targets;
        this.targetRoutes = targetRoutes;
        this.camel = camel;
        this.producer = producer;
        this.reads = reads;
        this.zone = school.zone();
        this.properties = properties;
        this.registry = registry;
        this.clock = clock;
        prepareFolder(properties.folder());
    }

    /** At start, not at the first day's file hours later, when a folder that cannot be made would fail unseen. */
    private static void prepareFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("bridge.reconciliation.folder: cannot create the folder " + folder + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (!Files.isWritable(folder)) {
            throw new IllegalStateException("bridge.reconciliation.folder: the bridge cannot write in " + folder);
        }
    }

    /** Today, for the school. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(zone));
    }

    /**
     * The day's report for an operator: the ERP's side is the latest read in the background (ErpReads), never waited
     * for.
     */
    public Report report(LocalDate day) {
        return report(day, false);
    }

    /** {@code waitForErp}: the ERP's side read now, for the daily file, written in the background. */
    private Report report(LocalDate day, boolean waitForErp) {
        Instant from = day.atStartOfDay(zone).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
        MapSqlParameterSource window = new MapSqlParameterSource("from", Claims.utc(from)).addValue("to", Claims.utc(to))
                .addValue("day", day);
        List<Tally> received = tallies("""
                SELECT dispatch_state AS k, COUNT(*) AS n FROM inbox_event
                 WHERE received_at >= :from AND received_at < :to GROUP BY dispatch_state""", window);
        List<Tally> receivedByEvent = tallies("""
                SELECT event_name AS k, COUNT(*) AS n FROM inbox_event
                 WHERE received_at >= :from AND received_at < :to GROUP BY event_name""", window);
        Map<String, TargetsProperties.Target> enabled = targets.enabled();
        BridgeSide side = BridgeSide.read(jdbc, store.h2(), window, enabled.keySet());
        List<TargetDay> days = new ArrayList<>();
        for (Map.Entry<String, TargetsProperties.Target> target : enabled.entrySet()) {
            days.add(targetDay(target.getKey(), target.getValue(), window, side, waitForErp));
        }
        // The ledger outlives retention; the deliveries it is joined with per target do not.
        Report report = new Report(day, zone.getId(), from, to, received, receivedByEvent, days, side.pastRetention);
        if (lastDay == null || !day.isBefore(lastDay)) {
            lastDay = day;
            // A target whose ERP is still being read keeps what its gauges said.
            days.stream().filter(target -> !target.erp().reading()).forEach(target -> {
                latest(openDifferences, target.target(), target.erp().differences().size(),
                        "bridge.reconciliation.differences",
                        "Payments on which the ERP and the bridge differ, on the latest day reconciled");
                latest(unreadable, target.target(), target.erp().unreadable() ? 1 : 0,
                        "bridge.reconciliation.erp.unreadable",
                        "1 when the ERP's side of the latest day reconciled could not be read, else 0");
            });
        }
        return report;
    }

    /** Amounts delivered to each day's books over {@code days} days up to {@code last}: for the page's chart. */
    public List<Map<String, Object>> recentDays(LocalDate last, int days) {
        MapSqlParameterSource range = new MapSqlParameterSource("first", last.minusDays(days - 1L))
                .addValue("last", last);
        Map<LocalDate, Map<String, Object>> byDay = new TreeMap<>();
        for (int i = days - 1; i >= 0; i--) {
            Map<String, Object> empty = new LinkedHashMap<>();
            empty.put("date", last.minusDays(i).toString());
            empty.put("payments", 0L);
            empty.put("amount", BigDecimal.ZERO.setScale(2));
            byDay.put(last.minusDays(i), empty);
        }
        jdbc.query("""
                SELECT paid_day, COUNT(*) AS n, SUM(amount) AS total FROM payment_ledger
                 WHERE paid_day >= :first AND paid_day <= :last AND status NOT IN ('CANCELLED', 'REVERSED', 'BOUNCED',
                       'FAILED', 'EXPIRED')
                 GROUP BY paid_day""", range, (ResultSet row) -> {
            Map<String, Object> day = byDay.get(row.getObject("paid_day", LocalDate.class));
            day.put("payments", row.getLong("n"));
            day.put("amount", amount(row.getBigDecimal("total")));
        });
        return new ArrayList<>(byDay.values());
    }

    /** Open differences of the latest day reconciled, per target (the metric and health read this). */
    public Map<String, Integer> openDifferences() {
        return Map.copyOf(openDifferences);
    }

    /** The targets whose ERP could not be read on the latest day reconciled. */
    public List<String> unreadable() {
        return unreadable.entrySet().stream().filter(target -> target.getValue() > 0).map(Map.Entry::getKey).sorted()
                .toList();
    }

    public LocalDate lastDay() {
        return lastDay;
    }

    /**
     * Once a day, at the configured time (the school's), the previous day's report as a CSV file in the configured
     * folder, and the files of days whose time came while the bridge was stopped (DailyFiles); a file written while an
     * ERP could not be read is written again once it can be. Called every minute by routes/reconcile-daily.camel.yaml,
     * it does nothing once the files are there and whole (but reconcile the latest day again after a start, for the
     * gauges).
     */
    public void writeDueFile() throws IOException {
        // The routes that read the ERPs back are built once the bridge has started; until then a day's file would say
        // there is nothing to read back.
        if (!targetRoutes.ready()) {
            return;
        }
        LocalDate latestDue = DailyFiles.latestDue(LocalDateTime.now(clock.withZone(zone)), properties.time());
        List<LocalDate> missing = DailyFiles.missing(latestDue, DailyFiles.latestWritten(properties.folder()));
        boolean started = lastDay == null;
        if (started && missing.isEmpty() && DailyFiles.says(properties.folder(), latestDue, UNREADABLE)) {
            unreadFiles.add(latestDue);
        }
        unreadFiles.removeIf(day -> day.isBefore(latestDue.minusDays(DailyFiles.REREAD_DAYS - 1L)));
        SortedSet<LocalDate> days = new TreeSet<>(unreadFiles);
        days.addAll(missing);
        if (days.isEmpty()) {
            if (started) {
                // Started since it was written: the gauges an alert reads, and health, say that day's differences
                // again (as the ERP shows them now), rather than none until the next day's file.
                report(latestDue, true);
            }
            return;
        }
        for (LocalDate day : days) {
            Report report = report(day, true);
            boolean unread = report.targets().stream().anyMatch(target -> target.erp().unreadable());
            boolean again = unreadFiles.contains(day);
            if (unread && again) {
                continue; // the file already says which ERP could not be read
            }
            // Forced to the disk: a power cut must not leave an empty file, which would stand for the day's report.
            REPORTS.write(properties.folder(), DailyFiles.name(day),
                    ReconciliationCsv.render(report).getBytes(StandardCharsets.UTF_8));
            log.info("Reconciliation of {} written {}to {}: {} difference(s){}", day, again ? "again, every ERP read, "
                    : "", properties.folder().resolve(DailyFiles.name(day)), report.differences(),
                    unread ? "; an ERP could not be read, so it is written again once it can be" : "");
            if (unread) {
                unreadFiles.add(day);
            } else {
                unreadFiles.remove(day);
            }
        }
    }

    private TargetDay targetDay(String name, TargetsProperties.Target target, MapSqlParameterSource window,
                                BridgeSide side, boolean waitForErp) {
        List<LedgerRow> ledger = side.payments.get(name);
        Map<String, Tally> byState = new TreeMap<>();
        Map<String, Tally> byStatus = new TreeMap<>();
        for (LedgerRow row : ledger) {
            add(byState, row.delivery(), row.amount());
            add(byStatus, row.status(), row.amount());
        }
        return new TargetDay(name, target.transport(), side.events.get(name), List.copyOf(byState.values()),
                List.copyOf(byStatus.values()), side.feeComponents.get(name),
                erpView(name, target, window, ledger, waitForErp));
    }

    /**
     * The ERP's own view of the day, where the target offers one, compared with the payments the bridge delivered
     * there: a database target with {@code reconciliation} (a query beside its statements answering payment_id,
     * amount and status for the payments paid in {@code :from} to {@code :to}, UTC), or a transport with a
     * {@code <transport>-reconciliation} route template (ERPNext's reads its Payment Entries, Tally's its vouchers).
     */
    private ErpView erpView(String name, TargetsProperties.Target target, MapSqlParameterSource window,
                            List<LedgerRow> ledger, boolean waitForErp) {
        BigDecimal delivered = BigDecimal.ZERO.setScale(2);
        BigDecimal booked = BigDecimal.ZERO.setScale(2);
        Map<String, LedgerRow> deliveredById = new LinkedHashMap<>();
        for (LedgerRow row : ledger) {
            if ("DELIVERED".equals(row.delivery())) {
                deliveredById.put(row.paymentId(), row);
                delivered = delivered.add(amount(row.amount()));
                if (Receipt.intentOf(row.status()) == Receipt.Intent.BOOK) {
                    booked = booked.add(amount(row.amount()));
                }
            }
        }
        if (!targetRoutes.ready()) {
            // Just started: the routes that read the ERPs back are not built yet, and would seem not to exist.
            return new ErpView(false, READING, delivered, null, booked, null, List.of(), null);
        }
        boolean readable = camel.getRoute(TargetRoutes.reconciliationRouteId(name)) != null;
        String query = target.options().get("reconciliation");
        if (!readable && (!"jdbc".equals(target.transport()) || query == null || query.isBlank())) {
            return new ErpView(false, "jdbc".equals(target.transport())
                    ? "no reconciliation query: set bridge.targets." + name + ".options.reconciliation"
                    : "nothing to read back from " + target.transport() + " targets", delivered, null, booked, null,
                    List.of(), null);
        }
        Set<String> deliveredIds = Set.copyOf(deliveredById.keySet());
        Callable<Holdings> read = () -> readable ? readBack(name, window, deliveredIds)
                : query(name, query.trim(), window);
        ErpReads.Read<Holdings> last;
        if (waitForErp) {
            last = ErpReads.Read.now(read, clock.instant());
        } else {
            last = reads.latest(name, (LocalDate) window.getValue("day"), read);
            if (last == null) {
                return new ErpView(false, READING, delivered, null, booked, null, List.of(), null);
            }
        }
        if (last.failure() != null) {
            return new ErpView(false, UNREADABLE + Redaction.summary(last.failure(), 300), delivered, null, booked,
                    null, List.of(), last.startedAt());
        }
        Holdings erp = last.holdings();
        List<Difference> differences = new ArrayList<>();
        BigDecimal erpTotal = BigDecimal.ZERO.setScale(2);
        for (Held held : erp.byPayment().values()) {
            erpTotal = erpTotal.add(held.amount());
        }
        // What the ERP books of the payments compared, and of those it holds that make a difference: so the gap to
        // bridgeBooked is exactly the differences' (an entry the ERP holds for a payment of another day, or for one
        // the bridge did not deliver here, counts on neither side).
        BigDecimal erpBooked = BigDecimal.ZERO.setScale(2);
        for (LedgerRow row : deliveredById.values()) {
            Held held = erp.byPayment().get(row.paymentId());
            String kind = erp.books() ? booksDiffer(row, held) : differ(row.status(), row, held);
            if (kind != null) {
                differences.add(new Difference(row.paymentId(), row.eventId(), kind, amount(row.amount()),
                        held == null ? null : held.amount(), row.status(), held == null ? null : held.status()));
            }
            erpBooked = erpBooked.add(booked(held, erp.books()));
        }
        Map<String, LedgerRow> ofTheDay = new HashMap<>();
        ledger.forEach(row -> ofTheDay.put(row.paymentId(), row));
        List<String> strangers = erp.byPayment().keySet().stream().filter(id -> !ofTheDay.containsKey(id)).toList();
        Map<String, LedgerRow> knownElsewhere = known(strangers);
        for (String id : strangers) {
            Held held = erp.byPayment().get(id);
            LedgerRow elsewhere = knownElsewhere.get(id);
            if (elsewhere == null) {
                differences.add(new Difference(id, null, "unknown_to_bridge", null, held.amount(), null,
                        held.status()));
                erpBooked = erpBooked.add(booked(held, erp.books()));
            } else if (erp.books() && Receipt.BOOKED.equals(held.status())
                    && Receipt.intentOf(elsewhere.status()) != Receipt.Intent.BOOK) {
                // Booked on this day for a payment the bridge has on another day as money that never came or went
                // back (a bounce after a debit the books kept): counted here, it must not be.
                differences.add(new Difference(id, elsewhere.eventId(), "status_differs", amount(elsewhere.amount()),
                        held.amount(), elsewhere.status(), held.status()));
                erpBooked = erpBooked.add(held.amount());
            }
        }
        return new ErpView(true, null, delivered, erpTotal, booked, erpBooked, differences, last.startedAt());
    }

    /**
     * The money the ERP books for a payment: a booked entry's amount (books), or a row's whose status says the money
     * came in (a database, in Jodo's words); zero otherwise, and for none.
     */
    private static BigDecimal booked(Held held, boolean books) {
        boolean counts = held != null && (books ? Receipt.BOOKED.equals(held.status())
                : Receipt.intentOf(held.status()) == Receipt.Intent.BOOK);
        return counts ? held.amount() : BigDecimal.ZERO;
    }

    /** How a delivered payment and the ERP's row for it differ, comparing Jodo's status with {@code expected}. */
    private static String differ(String expected, LedgerRow row, Held held) {
        if (held == null) {
            return "missing_in_erp";
        }
        if (amount(row.amount()).compareTo(held.amount()) != 0) {
            return "amount_differs";
        }
        return expected.equals(held.status()) ? null : "status_differs";
    }

    /**
     * The same against books, whose entries say booked, cancelled or draft: money that came in must be booked, a
     * cancelled or reversed payment's entry cancelled, and money that never came (bounced, failed, expired) books
     * nothing, so only a booked entry for it differs. A cancelled entry counts for nothing in the books, so its
     * amount is not compared (it is the amount of whichever record booked it first).
     */
    private static String booksDiffer(LedgerRow row, Held held) {
        Receipt.Intent intent = Receipt.intentOf(row.status());
        if (intent == Receipt.Intent.VOID || intent == Receipt.Intent.NONE) {
            return held != null && Receipt.BOOKED.equals(held.status()) ? "status_differs" : null;
        }
        if (intent == Receipt.Intent.REVERSE && held != null && Receipt.CANCELLED.equals(held.status())) {
            return null;
        }
        return differ(intent == Receipt.Intent.BOOK ? Receipt.BOOKED : Receipt.CANCELLED, row, held);
    }

    /** A database target's reconciliation query, run on the ERP database. */
    private Holdings query(String name, String query, MapSqlParameterSource window) throws IOException {
        DataSource erpDatabase = camel.getRegistry().lookupByNameAndType(name + "-datasource", DataSource.class);
        MapSqlParameterSource erpWindow = new MapSqlParameterSource()
                .addValue("from", LocalDateTime.ofInstant(((OffsetDateTime) window.getValue("from")).toInstant(),
                        ZoneOffset.UTC))
                .addValue("to", LocalDateTime.ofInstant(((OffsetDateTime) window.getValue("to")).toInstant(),
                        ZoneOffset.UTC));
        Map<String, Held> erp = new LinkedHashMap<>();
        try {
            new NamedParameterJdbcTemplate(erpDatabase).query(Files.readString(Path.of(query)), erpWindow,
                    (ResultSet row) -> {
                        erp.put(row.getString("payment_id"), new Held(amount(row.getBigDecimal("amount")),
                                row.getString("status")));
                    });
        } catch (DataAccessException refused) {
            throw new ErpQueryRefused(query + ": " + refused.getMostSpecificCause().getMessage(), refused);
        }
        return new Holdings(erp, false);
    }

    /**
     * The ERP database refused the reconciliation query: its file and the database's words (a table or column the
     * query names that the ERP does not have), where Spring's own message starts with the query's text, comments and
     * all, and the report's note would show nothing else.
     */
    private static final class ErpQueryRefused extends RuntimeException {
        ErpQueryRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The target's reconciliation route: given the day and the payments delivered on it, it answers the ERP's
     * entries as payment_id, amount and status, and says in {@code jodoErpStatuses} whether those are the books'
     * words ({@code books}) or Jodo's statuses as delivered.
     */
    private Holdings readBack(String name, MapSqlParameterSource window, Collection<String> delivered)
            throws Exception {
        Exchange answer = producer.send("direct:" + TargetRoutes.reconciliationRouteId(name), exchange -> {
            exchange.getMessage().setHeader(Flow.DAY, window.getValue("day").toString());
            exchange.getMessage().setBody(List.copyOf(delivered));
        });
        if (answer.getException() != null) {
            throw answer.getException();
        }
        Map<String, Held> erp = new LinkedHashMap<>();
        for (Object item : answer.getMessage().getBody(List.class)) {
            Map<?, ?> row = (Map<?, ?>) item;
            erp.put(String.valueOf(row.get("payment_id")), new Held(amount(new BigDecimal(String.valueOf(
                    row.get("amount")))), String.valueOf(row.get("status"))));
        }
        return new Holdings(erp, "books".equals(answer.getProperty(Flow.ERP_STATUSES)));
    }

    /** The ledger rows of those of these payments the bridge knows at all (on another day, say). */
    private Map<String, LedgerRow> known(List<String> paymentIds) {
        Map<String, LedgerRow> known = new HashMap<>();
        BridgeSide.inIdOrder(jdbc, paymentIds,
                "SELECT payment_id, event_id, status, amount FROM payment_ledger WHERE payment_id IN (:ids)", row -> {
                    known.put(row.getString("payment_id"), new LedgerRow(row.getString("payment_id"),
                            row.getString("event_id"), row.getString("status"), row.getBigDecimal("amount"), null));
                });
        return known;
    }

    /** A target's figure for the latest day reconciled, and the gauge that shows it (registered once). */
    private void latest(Map<String, Integer> figures, String target, int value, String gauge, String description) {
        if (figures.put(target, value) == null) {
            Gauge.builder(gauge, figures, m -> m.getOrDefault(target, 0)).description(description)
                    .tag("target", target).register(registry);
        }
    }

    private List<Tally> tallies(String sql, MapSqlParameterSource params) {
        return jdbc.query(sql + " ORDER BY 1", params, (row, i) -> new Tally(row.getString("k"), row.getLong("n"), null));
    }

    static void add(Map<String, Tally> tallies, String key, BigDecimal amount) {
        tallies.merge(key, new Tally(key, 1, amount(amount)), (a, b) -> new Tally(key, a.count() + 1,
                a.amount().add(b.amount())));
    }

    private static BigDecimal amount(BigDecimal value) {
        return value == null ? BigDecimal.ZERO.setScale(2) : value.setScale(2);
    }
}
