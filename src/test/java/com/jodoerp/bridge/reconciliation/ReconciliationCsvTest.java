package com.jodoerp.bridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciliation CSV is opened by an accountant in a spreadsheet: text from Jodo in it (fee components here) is
 * never run as a formula and never breaks a row, and amounts stay numbers.
 */
class ReconciliationCsvTest {

    private static final String OPS = "ops";
    /** Made up per run: the operator login is a setting, never a value written down. */
    private static final String PASSWORD = UUID.randomUUID().toString();

    @TempDir
    Path dataDir;

    @Test
    void jodosTextIsShownAsTextInItsOwnCellAndAmountsStayNumbers() {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of("bridge.admin.username", OPS,
                "bridge.admin.password", PASSWORD))) {
            String id = Samples.freshId();
            // 2024-06-01T08:45:00Z is 2024-06-01 in Kolkata, the school's day the report is asked for.
            String body = new String(Samples.withEventId("direct.payment.added", id), StandardCharsets.UTF_8)
                    .replaceFirst("\"id\": \"pay_[^\"]+\"", "\"id\": \"pay_" + id + "\"")
                    .replace("\"TUITION_FEE\"", "\"=HYPERLINK(\\\"http://evil.example\\\",\\\"Tuition\\\")\"")
                    .replace("\"TRANSPORT_FEE\"", "\"Bus\\r\\nFee, north\"");
            assertThat(bridge.postWebhook(body.getBytes(StandardCharsets.UTF_8), null).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "outbox")));

            HttpResponse<String> answer = bridge.admin("GET", "/admin/reconciliation?format=csv&date=2024-06-01", OPS,
                    PASSWORD, null);
            assertThat(answer.statusCode()).isEqualTo(200);
            String csv = answer.body();
            assertThat(csv).contains("\r\n2024-06-01,outbox,fee_component,\"'=HYPERLINK(\"\"http://evil.example\"\","
                            + "\"\"Tuition\"\")\",1,3000.00,")
                    .contains("\r\n2024-06-01,outbox,fee_component,\"Bus\r\nFee, north\",1,2000.00,")
                    .contains("\r\n2024-06-01,outbox,payment,DELIVERED,1,5000.00,")
                    // A folder cannot be asked what it booked: the row says so once, in words an accountant reads.
                    .contains("\r\n2024-06-01,outbox,erp,not available: nothing to read back from file targets,");
            // Every record has the header's twelve cells: the line break and the comma stay inside their quotes.
            List<String> records = List.of(csv.replace("\"Bus\r\nFee, north\"", "BUS").split("\r\n"));
            assertThat(records).allSatisfy(line -> assertThat(line.replaceAll("\"([^\"]|\"\")*\"", "Q").split(",", -1))
                    .as(line).hasSize(12));
        }
    }
}
