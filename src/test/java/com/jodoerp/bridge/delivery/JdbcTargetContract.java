package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpTargets;
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

    /** Starts the bridge against an empty ERP database at {@code url}, after creating the example schema. */
    void start(String url, String user, String dialect) throws Exception {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url, user, "");
        erp = new JdbcTemplate(dataSource);
        ErpTargets.createSchema(erp, dialect);
        bridge = BridgeInstance.start(dataDir, ErpTargets.soleTarget("jdbc", Map.of(
                "url", url, "username", user, "statements", "routes/examples/jdbc/" + dialect)));
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
        assertThat(erp.queryForObject("SELECT COUNT(*) FROM erp_loan_disbursement WHERE application_id = '30488'",
                Integer.class)).isEqualTo(2);
        assertThat(truthy(erp.queryForObject("SELECT is_disbursed FROM erp_loan_disbursement"
                + " WHERE application_id = '30488' AND disbursement_id = '9101'", Object.class))).isTrue();
        assertThat(erp.queryForObject("SELECT application_id FROM erp_loan_emi WHERE payment_id = 'emi_5678_6789'",
                String.class)).isEqualTo("1234");
        assertThat(erp.queryForObject("SELECT identifier FROM erp_student WHERE jodo_student_id = 'student_1234'",
                String.class)).isEqualTo("1234");
        assertThat(erp.queryForObject("SELECT notes FROM erp_payment WHERE id = 'order_2345343214521452'",
                String.class)).contains("\"erp_reference_id\":\"REF123\"");

        Map<String, List<Map<String, Object>>> before = snapshot();
        bridge.jdbc().update("UPDATE delivery SET state = 'PENDING', next_attempt_at = CURRENT_TIMESTAMP");
        ids.forEach(this::awaitDelivered);
        await().atMost(WITHIN).until(() -> bridge.jdbc().queryForObject(
                "SELECT COUNT(*) FROM delivery WHERE attempts < 2", Integer.class) == 0);
        assertThat(snapshot()).isEqualTo(before);
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

    /** Posts a copy of the sample of {@code event} about payment {@code paymentId}, created at {@code timestamp}. */
    private String post(String event, long timestamp, String paymentId) {
        String id = Samples.freshId();
        String body = new String(Samples.withEventId(event, id))
                .replaceFirst("\"timestamp\": \\d+", "\"timestamp\": " + timestamp)
                .replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"" + paymentId + "\"");
        assertThat(body).contains(paymentId);
        assertThat(bridge.postWebhook(body.getBytes(), null).statusCode()).isEqualTo(202);
        return id;
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
