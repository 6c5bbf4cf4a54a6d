package com.jodoerp.bridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.HostileCorpus;
import com.jodoerp.bridge.support.RealDatabases;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Parents' phone numbers and e-mail addresses where Jodo's payload should have other values, and an ERP that quotes
 * them back in its refusal: the events are parked and the delivery dead-lettered with reasons that name the field
 * and what is wrong with it, and no log line, stored reason or admin answer contains the values themselves.
 */
@ExtendWith(OutputCaptureExtension.class)
class PersonalDataTest {

    private static final String PHONE = "+91 " + HostileCorpus.PHONE_DIGITS;
    private static final String EMAIL = HostileCorpus.EMAIL;

    @TempDir
    Path dataDir;

    @Test
    void noPayloadValueReachesALogLineAStoredReasonOrAnAnswer(CapturedOutput output) throws Exception {
        try (ErpHttpServer erp = new ErpHttpServer()) {
            Map<String, String> settings = ErpTargets.soleTarget("rest", Map.of("url", erp.url()));
            settings.put("bridge.admin.username", "ops");
            settings.put("bridge.admin.password", "personal-data-ops");
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                List<String> parked = new ArrayList<>();
                for (String[] change : List.of(
                        new String[] {"\"paid_at\": \"2024-06-01T08:45:00Z\"", "\"paid_at\": \"" + EMAIL + "\""},
                        new String[] {"\"amount\": 5000.0", "\"amount\": \"" + PHONE + "\""},
                        new String[] {"\"amount\": \"3000.00\"", "\"amount\": \"" + PHONE + " / " + EMAIL + "\""},
                        new String[] {"\"academic_year_start\": 2024", "\"academic_year_start\": \"" + PHONE + "\""},
                        new String[] {"\"mode\": \"bank_transfer\"", "\"mode\": {\"phone\": \"" + PHONE + "\"}"})) {
                    String id = Samples.freshId();
                    String body = new String(Samples.withEventId("direct.payment.added", id), StandardCharsets.UTF_8);
                    assertThat(body).contains(change[0]);
                    assertThat(bridge.postWebhook(body.replace(change[0], change[1]).getBytes(StandardCharsets.UTF_8),
                            null).statusCode()).isEqualTo(202);
                    parked.add(id);
                }
                String refused = Samples.freshId();
                erp.script(refused, ErpHttpServer.Answer.status(422, "{\"error\":\"parent " + PHONE + " <" + EMAIL
                        + "> already has a receipt\"}"));
                bridge.postWebhook(Samples.withEventId("direct.payment.added", refused), null);

                await().atMost(Duration.ofSeconds(30)).until(() -> parked.stream()
                        .allMatch(id -> "FAILED".equals(bridge.dispatchState(id)))
                        && "DEAD".equals(bridge.deliveryState(refused, "erp")));

                List<String> reasons = new ArrayList<>();
                parked.forEach(id -> reasons.add(bridge.parkedReason(id)));
                reasons.add(bridge.jdbc().queryForObject("SELECT last_error FROM delivery WHERE event_id = ?",
                        String.class, refused));
                assertThat(reasons.get(0)).isEqualTo("mapping failed: payload.payment.paid_at: text of "
                        + EMAIL.length() + " characters is not an ISO-8601 time");
                assertThat(reasons.get(5)).contains("422");
                String deadLetters = bridge.admin("GET", "/admin/dead-letters", "ops", "personal-data-ops", null)
                        .body();
                for (String text : List.of(String.join("\n", reasons), deadLetters, output.getAll())) {
                    assertThat(text).doesNotContain(HostileCorpus.PHONE_DIGITS).doesNotContain("98123 45670")
                            .doesNotContain(EMAIL);
                }
            }
        }
    }

    /**
     * An ERP database whose refusal quotes a parent's details (here a rule of the school's, in a trigger, naming the
     * guardian already on another student; MariaDB's "Duplicate entry '...'" quotes values the same way): MariaDB's
     * driver logs every error the server sends as it came, so the bridge keeps that logger quiet and records the
     * refusal itself, masked.
     */
    @Test
    void anErpDatabaseQuotingAParentsDetailsInItsRefusalKeepsThemOutOfTheLog(CapturedOutput output) {
        String database = RealDatabases.createMariaDbDatabase();
        try {
            JdbcTemplate erp = new JdbcTemplate(new DriverManagerDataSource(RealDatabases.mariaDbUrl(database),
                    "root", ""));
            ErpTargets.createSchema(erp, "mysql");
            erp.execute("""
                    CREATE TRIGGER one_student_per_guardian BEFORE INSERT ON erp_student FOR EACH ROW
                    BEGIN
                      DECLARE refusal VARCHAR(255) DEFAULT CONCAT('guardian ', NEW.contact_number, ' <',
                                                                  NEW.contact_email, '> is on another student');
                      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = refusal;
                    END""");
            Map<String, String> settings = ErpTargets.soleTarget("jdbc", Map.of("url",
                    RealDatabases.mariaDbUrl(database), "username", "root",
                    "statements", "routes/examples/jdbc/mysql"));
            try (BridgeInstance bridge = BridgeInstance.start(dataDir, settings)) {
                String id = Samples.freshId();
                String body = new String(Samples.withEventId("masterdata.student.registered", id),
                        StandardCharsets.UTF_8).replace("\"9876543210\"", "\"" + PHONE + "\"")
                        .replace("\"parent@example.com\"", "\"" + EMAIL + "\"");
                assertThat(body).contains(PHONE).contains(EMAIL);
                assertThat(bridge.postWebhook(body.getBytes(StandardCharsets.UTF_8), null).statusCode())
                        .isEqualTo(202);

                String[] refusal = new String[1];
                // Its delivery row appears once the event is dispatched, and its last error once it is attempted.
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    List<String> errors = bridge.jdbc().queryForList(
                            "SELECT last_error FROM delivery WHERE event_id = ?", String.class, id);
                    refusal[0] = errors.isEmpty() ? null : errors.get(0);
                    return refusal[0] != null;
                });
                assertThat(refusal[0]).contains("is on another student").contains("***@***");
                for (String text : List.of(refusal[0], output.getAll())) {
                    assertThat(text).doesNotContain(HostileCorpus.PHONE_DIGITS).doesNotContain("98123 45670")
                            .doesNotContain(EMAIL);
                }
            }
        } finally {
            RealDatabases.dropMariaDbDatabase(database);
        }
    }
}
