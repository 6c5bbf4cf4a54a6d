package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.Permutations;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * What the jdbc target must do on every database it supports: each subclass points the bridge at one real
 * ERP database (with the example schema and statements for its dialect) and reads the result back from there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcTargetContract {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    BridgeInstance bridge;
    JdbcTemplate erp;
    private String dialect;

    /** Starts the bridge against an empty ERP database at {@code url}, after creating the example schema. */
    void start(String url, String user, String dialect) throws Exception {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url, user, "");
        erp = new JdbcTemplate(dataSource);
        ErpTargets.createSchema(erp, dialect);
        Map<String, String> settings = new HashMap<>(ErpTargets.soleTarget("jdbc", Map.of(
                "url", url, "username", user, "statements", "routes/examples/jdbc/" + dialect)));
        // One delivery worker: records still share ERP transactions, as a worker hands each over without waiting.
        settings.put("bridge.delivery.threads", "1");
        bridge = BridgeInstance.start(dataDir, settings);
        this.dialect = dialect;
    }

    @AfterAll
    void stopBridge() {
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void everySampleIsWrittenAndASecondDeliveryChangesNothing() {
        List<String> ids = new ArrayList<>();
        for (String event : Samples.events()) {
            byte[] body = Samples.bytes(event);
            ids.add(Samples.eventId(body));
            assertThat(bridge.postWebhook(body, null).statusCode()).isEqualTo(202);
        }
        ids.forEach(this::awaitDelivered);

        Map<String, Object> cancelled = erp.queryForMap("SELECT * FROM erp_payment WHERE id = 'pay_7f3c21a9'");
        assertThat(cancelled.get("status")).isEqualTo("CANCELLED");
        assertThat(truthy(cancelled.get("reversed"))).isTrue();
        assertThat((BigDecimal) cancelled.get("amount")).isEqualByComparingTo("5500.00");
        assertThat(erp.queryForList("SELECT amount FROM erp_payment_line WHERE payment_id = 'pay_7f3c21a9' ORDER BY line_no",
                BigDecimal.class)).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("3500.00"), new BigDecimal("2000.00"));
        assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_subscription_instalment WHERE subscription_id = '88001'",
                Integer.class)).isEqualTo(3);
        // The fee plan names its student and school year (its instalments join it).
        Map<String, Object> plan = erp.queryForMap("SELECT * FROM erp_subscription WHERE id = '88001'");
        assertThat(plan).containsEntry("student_identifier", "ENR-2024-0457")
                .containsEntry("student_custom_identifier", "ADM/0457").containsEntry("student_name", "Aarav Sharma")
                .containsEntry("grade_code", "G5A").containsEntry("collector_code", "MAIN");
        assertThat(((Number) plan.get("academic_year_start")).intValue()).isEqualTo(2024);
        assertThat(((Number) plan.get("academic_year_end")).intValue()).isEqualTo(2025);
        assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_loan_disbursement WHERE application_id = '30488'",
                Integer.class)).isEqualTo(2);
        assertThat(erp.queryForMap("SELECT * FROM erp_loan WHERE application_id = '30488'"))
                .containsEntry("student_identifier", "JODO/TEST/003").containsEntry("grade_code", "G10")
                .containsEntry("grade_name", "Grade 10").containsEntry("collector_code", "81c6b473c138");
        assertThat(truthy(erp.queryForObject("SELECT is_disbursed FROM erp_loan_disbursement"
                + " WHERE application_id = '30488' AND disbursement_id = '9101'", Object.class))).isTrue();
        assertThat(erp.queryForObject("SELECT application_id FROM erp_loan_emi WHERE payment_id = 'emi_5678_6789'",
                String.class)).isEqualTo("1234");
        assertThat(erp.queryForObject("SELECT identifier FROM erp_student WHERE jodo_student_id = 'student_1234'",
                String.class)).isEqualTo("1234");
        assertThat(erp.queryForObject("SELECT notes FROM erp_payment WHERE id = 'order_2345343214521452'",
                String.class)).contains("\"erp_reference_id\":\"REF123\"");
        // A payment link names no Jodo student, but its payer carries the student's year, name and identifiers.
        Map<String, Object> link = erp.queryForMap("SELECT * FROM erp_payment WHERE id = 'order_12345'");
        assertThat(link).containsEntry("jodo_student_id", null).containsEntry("student_identifier", "any_ref_id")
                .containsEntry("student_custom_identifier", "cust_1234").containsEntry("student_name", "Student Name")
                .containsEntry("grade_code", "grade_5944").containsEntry("payer_name", "Customer name");
        assertThat(((Number) link.get("academic_year_start")).intValue()).isEqualTo(2022);
        assertThat(((Number) link.get("academic_year_end")).intValue()).isEqualTo(2023);

        Map<String, List<Map<String, Object>>> before = snapshot();
        bridge.jdbc().update("UPDATE delivery SET state = 'PENDING', next_attempt_at = CURRENT_TIMESTAMP");
        ids.forEach(this::awaitDelivered);
        await().atMost(WITHIN).until(() -> bridge.jdbc().queryForObject(
                "SELECT COUNT(*) FROM delivery WHERE attempts < 2", Integer.class) == 0);
        assertThat(snapshot()).isEqualTo(before);
    }

    /**
     * Records due together are written in shared ERP transactions (fewer commits than records, where the database
     * counts its commits), and a record whose values the ERP refuses fails alone: every other record of its batch
     * lands. A value its column cannot hold (a collector code too long) and a rule of the integrator's table it
     * breaks (a CHECK constraint) fail every time, so each is a dead letter after one attempt, saying why.
     */
    @Test
    void recordsDueTogetherShareTransactionsAndOnlyTheOnesTheErpRefusesAreDeadLetters() {
        erp.execute("ALTER TABLE erp_payment ADD CONSTRAINT erp_payment_known_collector"
                + " CHECK (collector_code IS NULL OR collector_code <> 'CLOSED')");
        try {
            long commitsBefore = erpCount(ErpCounter.COMMITS);
            List<String> payments = new ArrayList<>();
            List<String> landed = new ArrayList<>();
            Map<String, String> refused = new HashMap<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String payment = "pay_" + Samples.freshId();
                String id = Samples.freshId();
                ids.add(id);
                String collector = i == 20 ? "M".repeat(100) : i == 30 ? "CLOSED" : "MAIN";
                post(Samples.withEventId("direct.payment.added", id), 1_720_600_000L + i, body -> body
                        .replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"" + payment + "\"")
                        .replace("\"collector_code\": \"MAIN\"", "\"collector_code\": \"" + collector + "\""));
                if (collector.equals("MAIN")) {
                    landed.add(id);
                    payments.add(payment);
                } else {
                    refused.put(id, payment);
                }
            }
            landed.forEach(this::awaitDelivered);
            long commits = erpCount(ErpCounter.COMMITS) - commitsBefore;

            refused.forEach((id, payment) -> {
                await().atMost(WITHIN).until(() -> "DEAD".equals(bridge.deliveryState(id, "erp")));
                Map<String, Object> delivery = bridge.jdbc().queryForMap(
                        "SELECT attempts, last_error FROM delivery WHERE event_id = ?", id);
                assertThat(((Number) delivery.get("attempts")).intValue()).as(id).isEqualTo(1);
                // The statement named: the collector code too long for erp_student, the CHECK of erp_payment.
                String statement = payment.equals(refused.get(ids.get(20))) ? "student.sql" : "payment.sql";
                assertThat((String) delivery.get("last_error")).as(id).contains("refuses this record's values in "
                        + "routes/examples/jdbc/" + dialect + "/" + statement + " (SQLSTATE", "replay it");
                assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_payment WHERE id = ?", Integer.class,
                        payment)).as(payment).isZero();
            });
            for (String payment : payments) {
                assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_payment WHERE id = ?", Integer.class,
                        payment)).as(payment).isEqualTo(1);
            }
            if (commitsBefore >= 0) {
                assertThat(commits).as("ERP commits for %d records", landed.size()).isPositive()
                        .isLessThan(landed.size());
            }
        } finally {
            erp.execute("ALTER TABLE erp_payment DROP CONSTRAINT erp_payment_known_collector");
        }
    }

    /**
     * A table the statements need and the ERP does not have yet (an integrator still setting it up) fails the record
     * naming the statement file that needs it, and is retried: once the table is there, the record lands.
     */
    @Test
    void aMissingTableIsRetriedNamingTheStatementThatNeedsIt() {
        erp.execute("ALTER TABLE erp_loan_emi RENAME TO erp_loan_emi_away");
        String id = Samples.freshId();
        try {
            String emi = "emi_" + Samples.freshId();
            post(Samples.withEventId("cred.emi.debited", id), 1_720_700_000L,
                    body -> body.replace("\"emi_5678_6789\"", "\"" + emi + "\""));
            await().atMost(WITHIN).until(() -> bridge.jdbc().queryForObject(
                    "SELECT MAX(last_error) FROM delivery WHERE event_id = ?", String.class, id) != null);
            Map<String, Object> delivery = bridge.jdbc().queryForMap(
                    "SELECT state, last_error FROM delivery WHERE event_id = ?", id);
            assertThat(delivery.get("state")).isEqualTo("PENDING");
            assertThat((String) delivery.get("last_error")).contains("RouteFileFailure: routes/examples/jdbc/"
                    + dialect + "/loan-emi.sql: ").containsIgnoringCase("erp_loan_emi");
        } finally {
            erp.execute("ALTER TABLE erp_loan_emi_away RENAME TO erp_loan_emi");
        }
        awaitDelivered(id);
        assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_loan_emi WHERE event_id = ?", Integer.class, id))
                .isEqualTo(1);
    }

    /**
     * Records of one payment due together share a batch, whose statements go to the ERP together (one JDBC batch per
     * statement, other records' statements between a record's own): each payment still ends as its newest record
     * says, cancelled, with that record's fee components once, whatever order its records arrived in.
     */
    @Test
    void aPaymentsRecordsDueTogetherEndAsItsNewestRecordSays() throws Exception {
        // A payment the ERP has, whose row another program keeps locked (where the database tells who waits): the
        // batch that writes it again waits, so the records handed to the writer meanwhile queue for one batch.
        String locked = "pay_" + Samples.freshId();
        awaitDelivered(post("direct.payment.added", 1_717_000_000L, locked));
        long commitsBefore = erpCount(ErpCounter.COMMITS);
        List<String> payments = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (Connection other = lockedPayment(locked)) {
            try (AutoCloseable held = bridge.holdDelivery()) {
                // Due first, so handed to the writer first (the worker takes them in the order they fell due).
                String update = post("direct.payment.updated", 1_717_000_060L, locked);
                bridge.awaitDue(List.of(update), "erp");
                ids.add(update);
                List<String> lifecycle = List.of("direct.payment.added", "direct.payment.updated",
                        "direct.payment.cancelled");
                for (int i = 0; i < 10; i++) {
                    String payment = "pay_" + Samples.freshId();
                    payments.add(payment);
                    // Newest first: the cancellation arrives before the payment it cancels, all before any is
                    // delivered.
                    for (int step = lifecycle.size() - 1; step >= 0; step--) {
                        ids.add(post(lifecycle.get(step), 1_717_000_000L + 60L * step, payment));
                    }
                }
                bridge.awaitDue(ids, "erp");
            }
            if (erpLockWaits() >= 0) {
                await().atMost(WITHIN).until(() -> erpLockWaits() == 1);
                // Still waiting half a second on: time for the one delivery worker to hand the rest over.
                await().during(Duration.ofMillis(500)).atMost(WITHIN).until(() -> erpLockWaits() == 1);
            }
            other.rollback();
        }
        ids.forEach(this::awaitDelivered);
        long commits = erpCount(ErpCounter.COMMITS) - commitsBefore;

        assertThat(erp.queryForObject("SELECT status FROM erp_payment WHERE id = ?", String.class, locked))
                .isEqualTo("UPDATED");
        for (String payment : payments) {
            Map<String, Object> row = erp.queryForMap("SELECT status, reversed FROM erp_payment WHERE id = ?", payment);
            assertThat(row.get("status")).as(payment).isEqualTo("CANCELLED");
            assertThat(truthy(row.get("reversed"))).as(payment).isTrue();
            assertThat(erp.queryForList("SELECT amount FROM erp_payment_line WHERE payment_id = ? ORDER BY line_no",
                    BigDecimal.class, payment)).as(payment).usingElementComparator(BigDecimal::compareTo)
                    .containsExactly(new BigDecimal("3500.00"), new BigDecimal("2000.00"));
        }
        if (commitsBefore >= 0) {
            assertThat(commits).as("ERP commits for %d records", ids.size()).isPositive().isLessThan(ids.size());
        }
    }

    /** Another program's transaction on the ERP database, holding payment {@code id}'s row locked until it ends. */
    private Connection lockedPayment(String id) throws SQLException {
        Connection other = erp.getDataSource().getConnection();
        other.setAutoCommit(false);
        try (PreparedStatement lock = other.prepareStatement("SELECT id FROM erp_payment WHERE id = ? FOR UPDATE")) {
            lock.setString(1, id);
            lock.executeQuery().close();
        }
        return other;
    }

    /** The ERP database's connections waiting for a lock, where it tells; -1 elsewhere. */
    int erpLockWaits() {
        return -1;
    }

    /** What the ERP database counts for the tests, where it keeps such counts (MariaDB's server status). */
    enum ErpCounter { COMMITS, SERVER_PREPARES, DELETES, SET_STATEMENTS }

    /** The ERP database's count so far, where it keeps one; -1 elsewhere. */
    long erpCount(ErpCounter counter) {
        return -1;
    }

    /**
     * A record's statements go to the ERP database to be run, not first to be prepared there: camel-sql would
     * otherwise ask the driver for each statement's parameter count, which costs a round trip and a parse on the
     * server per statement (bench/RESULTS.md).
     */
    @Test
    void aRecordsStatementsAreNotPreparedOnTheServerFirst() {
        long preparesBefore = erpCount(ErpCounter.SERVER_PREPARES);
        long deletesBefore = erpCount(ErpCounter.DELETES);
        // A debited instalment leaves values absent (its settlement), so some of its parameters are null.
        String payment = "pay_" + Samples.freshId();
        awaitDelivered(post("flex.instalment.debited", 1_720_600_000L, payment));
        assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_payment WHERE id = ? AND settlement_utr IS NULL",
                Integer.class, payment)).isOne();
        if (preparesBefore >= 0) {
            assertThat(erpCount(ErpCounter.DELETES) - deletesBefore).as("statements run (its lines deleted)")
                    .isPositive();
            assertThat(erpCount(ErpCounter.SERVER_PREPARES) - preparesBefore).as("statements prepared on the server")
                    .isZero();
        }
    }

    /**
     * A batch's transaction does not switch its connection's auto-commit off and on again, two round trips for each
     * transaction: the ERP connections are kept out of auto-commit (every write runs in its batch's transaction).
     */
    @Test
    void aBatchsTransactionDoesNotSwitchAutoCommit() {
        String first = "pay_" + Samples.freshId();
        awaitDelivered(post("flex.instalment.debited", 1_720_600_000L, first));
        awaitErpConnectionsOpen();
        long commitsBefore = erpCount(ErpCounter.COMMITS);
        long settingsBefore = erpCount(ErpCounter.SET_STATEMENTS);
        String second = "pay_" + Samples.freshId();
        awaitDelivered(post("flex.instalment.debited", 1_720_600_000L, second));
        long commits = erpCount(ErpCounter.COMMITS) - commitsBefore;
        long settings = erpCount(ErpCounter.SET_STATEMENTS) - settingsBefore;
        // Committed, not left in an open transaction: another connection (opened after the counts: each new one runs
        // a SET of its own) reads both rows.
        assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_payment WHERE id IN (?, ?)", Integer.class, first,
                second)).isEqualTo(2);
        if (settingsBefore >= 0) {
            assertThat(commits).as("ERP transactions").isPositive();
            assertThat(settings).as("SET statements").isZero();
        }
    }

    /** Returns once the bridge's ERP connections are all open (each sets up its session once), where that is known. */
    void awaitErpConnectionsOpen() {
    }

    @Test
    void aLateOlderRecordNeverUndoesANewerOne() {
        String payment = "pay_" + Samples.freshId();
        String settled = post("flex.instalment.settled", 1_720_600_000L, payment);
        awaitDelivered(settled);
        String debited = post("flex.instalment.debited", 1_720_590_000L, payment);
        awaitDelivered(debited);

        Map<String, Object> row = erp.queryForMap("SELECT status, event_id FROM erp_payment WHERE id = ?", payment);
        assertThat(row.get("status")).isEqualTo("SETTLED");
        assertThat(row.get("event_id")).isEqualTo(settled);
    }

    @Test
    void aCancelledDirectPaymentEndsReversedWhateverArrivesAfter() {
        String payment = "pay_" + Samples.freshId();
        awaitDelivered(post("direct.payment.added", 1_717_000_000L, payment));
        assertThat(truthy(erp.queryForObject("SELECT reversed FROM erp_payment WHERE id = ?", Object.class, payment)))
                .isFalse();
        awaitDelivered(post("direct.payment.cancelled", 1_717_600_000L, payment));
        awaitDelivered(post("direct.payment.updated", 1_717_300_000L, payment));

        Map<String, Object> row = erp.queryForMap("SELECT status, reversed FROM erp_payment WHERE id = ?", payment);
        assertThat(row.get("status")).isEqualTo("CANCELLED");
        assertThat(truthy(row.get("reversed"))).isTrue();
    }

    @Test
    void everyOrderOfAPaymentsEventsEndsInTheSameRowAndACancellationIsFinal() {
        Map<String, Object> end = sameEndStateInEveryOrder("erp_payment", "id",
                List.of("direct.payment.added", "direct.payment.updated", "direct.payment.cancelled"),
                (body, key) -> body.replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"" + key + "\""));
        assertThat(end.get("status")).isEqualTo("CANCELLED");
        assertThat(truthy(end.get("reversed"))).isTrue();
        assertThat(((Number) end.get("status_rank")).intValue()).isEqualTo(3);
        assertThat(end.get("version")).isEqualTo("1.0");
        assertThat(end.get("academic_year_start")).isNotNull();
    }

    @Test
    void everyOrderOfAnInstalmentsDebitAndItsBounceEndsInTheSameRowWithWhatOnlyTheDebitSays() {
        // The bounce wins, but says no paid_at or reference: in either order the row keeps the debit's, so the
        // payment stays on the day it was debited, where the reconciliation query looks for it.
        Map<String, Object> end = sameEndStateInEveryOrder("erp_payment", "id",
                List.of("flex.instalment.debited", "flex.instalment.bounced"),
                (body, key) -> body.replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"" + key + "\""));
        assertThat(end.get("status")).isEqualTo("BOUNCED");
        assertThat(end.get("paid_at")).isNotNull();
        assertThat(end.get("reference_id")).isEqualTo("NACH2407100045121");
    }

    @Test
    void everyOrderOfAStudentsRecordsEndsInTheSameRowWithWhatEachAloneSays() {
        // Only the registration carries the notes, only the payment the branch: in every order the row has both,
        // whichever record's details win.
        Map<String, Object> end = sameEndStateInEveryOrder("erp_student", "jodo_student_id",
                List.of("masterdata.student.registered", "direct.payment.added"),
                (body, key) -> body
                        .replaceFirst("\"jodo_student_id\": \"[^\"]+\"", "\"jodo_student_id\": \"" + key + "\"")
                        .replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"pay_" + key + "\""));
        assertThat(end.get("notes").toString()).contains("REG12345");
        assertThat(end.get("collector_code")).isEqualTo("MAIN");
    }

    @Test
    void everyOrderOfAStudentsRecordsEndsWithEachValueAsTheNewestRecordCarryingItSays() {
        // The activation changed the notes and the email the registration gave; the payment, newest on the tie, has
        // its own email and grade but no notes. Whichever of the two older records arrives last, the notes are the
        // activation's (a replay of both after the payment included), and nothing the payment says is undone.
        Map<String, Object> end = sameEndStateInEveryOrder("erp_student", "jodo_student_id",
                List.of("direct.payment.added", "masterdata.student.activated", "masterdata.student.registered"),
                (body, key) -> {
                    String retargeted = body
                            .replaceFirst("\"jodo_student_id\": \"[^\"]+\"", "\"jodo_student_id\": \"" + key + "\"")
                            .replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"pay_" + key + "\"");
                    return body.contains("\"masterdata.student.activated\"") ? retargeted
                            .replace("REG12345", "REG67890").replace("parent@example.com", "guardian@example.com")
                            : retargeted;
                });
        assertThat(end.get("notes").toString()).contains("REG67890").doesNotContain("REG12345");
        assertThat(end.get("contact_email")).isEqualTo("parent.sharma@example.com");
        assertThat(end.get("grade_code")).isEqualTo("G5A");
        assertThat(end.get("collector_code")).isEqualTo("MAIN");
        assertThat(end.get("notes_from").toString()).endsWith(" run-2");
        assertThat(end.get("event_id")).isEqualTo("run-3");
    }

    @Test
    void everyOrderOfASubscriptionsEventsEndsInTheSameRow() {
        Map<String, Object> end = sameEndStateInEveryOrder("erp_subscription", "id",
                List.of("flex.subscription.setup", "flex.subscription.updated", "flex.subscription.cancelled"),
                (body, key) -> body.replaceFirst("\"subscription\": \\{\\s*\"id\": 88001",
                        "\"subscription\": {\"id\": \"" + key + "\""));
        assertThat(end.get("status")).isEqualTo("cancelled");
    }

    @Test
    void aSubscriptionsMandateIsTheNewestRecordsWhateverThePlansStatusSays() {
        // Two mandates' ends (one cancelled, one expired) older than the plan's newest status: which arrives first
        // must not decide, and the row never mixes the cancelled one's reason with the expired one's end date.
        Map<String, Object> end = sameEndStateInEveryOrder("erp_subscription", "id",
                List.of("flex.mandate.cancelled", "flex.mandate.expired", "flex.subscription.active"),
                (body, key) -> body.replaceFirst("\"subscription\": \\{\\s*\"id\": \"sub_88001\"",
                        "\"subscription\": {\"id\": \"" + key + "\""));
        // On the same second the larger event id decides: the cancellation's (the helper's ids run backwards).
        assertThat(end.get("mandate_status")).isEqualTo("cancelled");
        assertThat(end.get("mandate_reason")).isEqualTo("customer_revoked");
        assertThat(end.get("mandate_end_date")).isNull();
        assertThat(end.get("status")).isEqualTo("active");
    }

    @Test
    void everyOrderOfALoansEventsEndsInTheSameRow() {
        Map<String, Object> end = sameEndStateInEveryOrder("erp_loan", "application_id",
                List.of("cred.loan.final_approved", "cred.loan.agreement_signed", "cred.loan.disbursed"),
                (body, key) -> body.replaceFirst("\"application\": \\{\\s*\"id\": 30488",
                        "\"application\": {\"id\": \"" + key + "\""));
        assertThat(end.get("status")).isEqualTo("disbursed");
        assertThat((BigDecimal) end.get("amount")).isEqualByComparingTo("120000.00");
        assertThat(end.get("agreement_signed_at")).isNotNull();
    }

    @Test
    void aStudentSeenOnlyOnPaymentsGetsARowAndEveryMoneyRowKeepsItsYear() {
        String student = "student_" + Samples.freshId().substring(0, 8);
        String payment = "pay_" + Samples.freshId();
        // The school year 2025 as a later masterdata event says, then a receipt of 2024 arriving late.
        String enrolled = Samples.freshId();
        post(Samples.withEventId("masterdata.student.activated", enrolled), 1_750_000_000L, body -> body
                .replace("\"student_1234\"", "\"" + student + "\"")
                .replaceFirst("\"academic_year_start\": 2022", "\"academic_year_start\": 2025"));
        awaitDelivered(enrolled);
        String receipt = Samples.freshId();
        post(Samples.withEventId("flex.instalment.debited", receipt), 1_720_000_000L, body -> body
                .replaceFirst("\"jodo_student_id\": \\d+", "\"jodo_student_id\": \"" + student + "\"")
                .replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"" + payment + "\""));
        awaitDelivered(receipt);

        Map<String, Object> row = erp.queryForMap("SELECT * FROM erp_payment WHERE id = ?", payment);
        assertThat(row).containsEntry("student_identifier", "ENR-2024-0457")
                .containsEntry("student_custom_identifier", "ADM/0457").containsEntry("collector_code", "MAIN")
                .containsEntry("grade_code", "G5A").containsEntry("grade_name", "Grade 5")
                .containsEntry("subscription_id", "88001");
        assertThat(((Number) row.get("academic_year_start")).intValue()).isEqualTo(2024);
        assertThat(((Number) row.get("academic_year_end")).intValue()).isEqualTo(2025);
        Map<String, Object> current = erp.queryForMap("SELECT * FROM erp_student WHERE jodo_student_id = ?", student);
        assertThat(((Number) current.get("academic_year_start")).intValue()).as("newer details kept").isEqualTo(2025);
        assertThat(current.get("status")).isEqualTo("ACTIVE");

        // A student Jodo only ever named on a payment still gets a row.
        String stranger = "student_" + Samples.freshId().substring(0, 8);
        String onlyPaid = Samples.freshId();
        post(Samples.withEventId("pay.payment.settled", onlyPaid), 1_720_000_000L, body -> body
                .replaceFirst("\"jodo_student_id\": \\d+", "\"jodo_student_id\": \"" + stranger + "\""));
        awaitDelivered(onlyPaid);
        assertThat(erp.queryForMap("SELECT identifier, status, status_rank FROM erp_student WHERE jodo_student_id = ?",
                stranger)).containsEntry("identifier", "ENR-2024-0457").containsEntry("status", "ACTIVE")
                .containsEntry("status_rank", null);
    }

    @Test
    void theLongestIdsTheBridgeMapsFitTheExampleTables() {
        // 128 characters, the most the mapping takes: a longer id is a mapping error, never a row held up.
        String student = "s".repeat(120) + Samples.freshId().substring(0, 8);
        String payment = "p".repeat(120) + Samples.freshId().substring(0, 8);
        String id = Samples.freshId();
        post(Samples.withEventId("pay.payment.settled", id), 1_720_000_000L, body -> body
                .replaceFirst("\"jodo_student_id\": \\d+", "\"jodo_student_id\": \"" + student + "\"")
                .replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"" + payment + "\""));
        awaitDelivered(id);
        assertThat(erp.queryForObject("SELECT jodo_student_id FROM erp_payment WHERE id = ?", String.class, payment))
                .isEqualTo(student);
        assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_student WHERE jodo_student_id = ?", Integer.class,
                student)).isEqualTo(1);
    }

    /**
     * Free text (a payment's remark, a student's notes) has no length Jodo documents, and a payment must never wait
     * on a note: a long one lands whole. 30,000 rupee signs are 90 KB of UTF-8, more than MySQL's TEXT holds.
     */
    @Test
    void longFreeTextLandsWhole() {
        String remark = "\u20b9".repeat(30_000);
        String registration = "R".repeat(6_000);
        String payment = "pay_" + Samples.freshId();
        String student = "student_" + Samples.freshId();
        String paid = Samples.freshId();
        String registered = Samples.freshId();
        post(Samples.withEventId("direct.payment.added", paid), 1_720_000_000L, body -> body
                .replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"" + payment + "\"")
                .replace("Term 1 fee received by NEFT", remark));
        post(Samples.withEventId("masterdata.student.registered", registered), 1_720_000_000L, body -> body
                .replace("\"student_1234\"", "\"" + student + "\"").replace("REG12345", registration));
        awaitDelivered(paid);
        awaitDelivered(registered);
        assertThat(erp.queryForObject("SELECT remark FROM erp_payment WHERE id = ?", String.class, payment))
                .isEqualTo(remark);
        assertThat(erp.queryForObject("SELECT notes FROM erp_student WHERE jodo_student_id = ?", String.class,
                student)).contains(registration);
    }

    @Test
    void aStudentDroppedAndActivatedOnTheSameSecondEndsDroppedInEitherOrder() {
        for (List<String> order : List.of(List.of("masterdata.student.dropped", "masterdata.student.activated"),
                List.of("masterdata.student.activated", "masterdata.student.dropped"))) {
            String student = "student_" + Samples.freshId().substring(0, 8);
            for (String event : order) {
                String id = Samples.freshId();
                post(Samples.withEventId(event, id), 1_750_000_000L,
                        body -> body.replace("\"student_1234\"", "\"" + student + "\""));
                awaitDelivered(id);
            }
            assertThat(erp.queryForObject("SELECT status FROM erp_student WHERE jodo_student_id = ?", String.class,
                    student)).as(order.toString()).isEqualTo("DROPPED");
        }
    }

    @Test
    void jodosOwnDocumentationExamplesLandWithTheirLoanAndSubscription() {
        List<String> stored = new ArrayList<>();
        for (String example : List.of("flex.instalment.debited", "direct.payment.cancelled", "cred.emi.debited",
                "flex.downpayment.debited")) {
            byte[] body = Samples.docExample(example);
            int status = bridge.postWebhook(body, null).statusCode();
            if (status == 202) {
                stored.add(Samples.eventId(body));
            } else {
                // Jodo's downpayment example reuses the EMI example's event_id: a duplicate, as the contract says.
                assertThat(example).isEqualTo("flex.downpayment.debited");
                assertThat(status).isEqualTo(200);
            }
        }
        stored.forEach(this::awaitDelivered);
        Map<String, Object> emi = erp.queryForMap("SELECT * FROM erp_loan_emi WHERE event_id = ?", stored.get(2));
        Map<String, Object> loan = erp.queryForMap("SELECT * FROM erp_loan WHERE application_id = ?",
                emi.get("application_id"));
        assertThat(loan.get("status")).isEqualTo("agreement_signed");
        assertThat(loan.get("amount")).isNotNull();
        assertThat(loan.get("agreement_signed_at")).isNotNull();
        assertThat(emi.get("academic_year_start")).isNotNull();
        assertThat(emi.get("grade_code")).isNotNull();
        Map<String, Object> instalment = erp.queryForMap("SELECT * FROM erp_payment WHERE event_id = ?",
                stored.get(0));
        assertThat(erp.queryForObject("SELECT status FROM erp_subscription WHERE id = ?", String.class,
                instalment.get("subscription_id"))).isNotNull();
        Map<String, Object> cancelled = erp.queryForMap("SELECT * FROM erp_payment WHERE event_id = ?",
                stored.get(1));
        assertThat(truthy(cancelled.get("reversed"))).isTrue();
        assertThat(cancelled.get("reversed_at")).isNotNull().isNotEqualTo(cancelled.get("paid_at"));
    }

    /**
     * Delivers the events of one entity in every order, each time about a fresh entity (key), once with all on the
     * same second and once a minute apart in lifecycle order, with event ids that run against the lifecycle (on a
     * tie, the largest event_id alone would pick the first event). Every order must end in the same row; the row
     * of the same-second run is returned.
     */
    private Map<String, Object> sameEndStateInEveryOrder(String table, String keyColumn, List<String> events,
                                                         BinaryOperator<String> retarget) {
        Map<String, Object> sameSecond = null;
        for (boolean tied : List.of(true, false)) {
            Map<String, Object> first = null;
            for (List<String> order : Permutations.of(events)) {
                String key = "k" + Samples.freshId().replace("-", "").substring(0, 20);
                String run = Samples.freshId();
                for (String event : order) {
                    int step = events.indexOf(event);
                    String id = run + "-" + (events.size() - step);
                    long timestamp = tied ? 1_717_300_000L : 1_717_000_000L + 60L * step;
                    post(Samples.withEventId(event, id), timestamp, body -> retarget.apply(body, key));
                    awaitDelivered(id);
                }
                Map<String, Object> row = new TreeMap<>(erp.queryForMap(
                        "SELECT * FROM " + table + " WHERE " + keyColumn + " = ?", key));
                row.remove(keyColumn);
                // Event ids (and the record keys that end in one) differ by run: only their step is compared.
                row.replaceAll((column, value) -> value != null
                        && (column.endsWith("event_id") || column.endsWith("_from"))
                        ? value.toString().replace(run, "run") : value);
                if (first == null) {
                    first = row;
                } else {
                    assertThat(row).as("%s, delivered in the order %s (same second: %s)", table, order, tied)
                            .isEqualTo(first);
                }
            }
            sameSecond = sameSecond == null ? first : sameSecond;
        }
        return sameSecond;
    }

    /** Posts a copy of the sample of {@code event} about payment {@code paymentId}, created at {@code timestamp}. */
    private String post(String event, long timestamp, String paymentId) {
        String id = Samples.freshId();
        post(Samples.withEventId(event, id), timestamp,
                body -> body.replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"" + paymentId + "\""));
        return id;
    }

    /** Posts {@code sample} changed by {@code change}, with its timestamp set to {@code timestamp}. */
    private void post(byte[] sample, long timestamp, UnaryOperator<String> change) {
        String original = new String(sample, StandardCharsets.UTF_8)
                .replaceFirst("\"timestamp\": \\d+", "\"timestamp\": " + timestamp);
        String body = change.apply(original);
        assertThat(body).as("the sample was changed").isNotEqualTo(original);
        assertThat(bridge.postWebhook(body.getBytes(StandardCharsets.UTF_8), null).statusCode())
                .isEqualTo(202);
    }

    private void awaitDelivered(String eventId) {
        await().atMost(WITHIN).until(() -> "DELIVERED".equals(bridge.jdbc().queryForObject(
                "SELECT MAX(state) FROM delivery WHERE event_id = ?", String.class, eventId)));
    }

    private Map<String, List<Map<String, Object>>> snapshot() {
        Map<String, List<Map<String, Object>>> tables = new HashMap<>();
        for (String table : List.of("erp_student", "erp_payment", "erp_payment_line", "erp_subscription",
                "erp_subscription_instalment", "erp_loan", "erp_loan_disbursement", "erp_loan_emi")) {
            tables.put(table, erp.queryForList("SELECT * FROM " + table + " ORDER BY 1, 2"));
        }
        return tables;
    }

    private static boolean truthy(Object value) {
        return value instanceof Boolean b ? b : ((Number) value).intValue() != 0;
    }
}
