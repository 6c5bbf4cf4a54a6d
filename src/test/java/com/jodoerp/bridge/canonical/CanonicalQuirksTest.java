package com.jodoerp.bridge.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Jodo's documented inconsistencies (jodo-webhooks.md §7), each tolerated, and values that cannot be mapped. */
@ExtendWith(OutputCaptureExtension.class)
class CanonicalQuirksTest {

    private final CanonicalMapper mapper = new CanonicalMapper();

    private JsonNode map(String event, String family, String payload) {
        byte[] raw = ("{\"event_id\":\"e1\",\"event\":\"" + event + "\",\"timestamp\":1720593900,\"version\":\"1.0\","
                + "\"payload\":" + payload + "}").getBytes(StandardCharsets.UTF_8);
        return CanonicalMapper.read(CanonicalMapper.write(
                mapper.map(raw, family, Instant.parse("2026-11-23T10:15:30Z"))).getBytes(StandardCharsets.UTF_8));
    }

    /** Mapping {@code payload} as {@code event} fails with a mapping error, whose message the caller checks. */
    private AbstractThrowableAssert<?, ? extends Throwable> refused(String event, String payload) {
        return assertThatThrownBy(() -> map(event, EventCatalog.family(event), payload)).as(payload)
                .isInstanceOf(MappingException.class);
    }

    private static String text(JsonNode record, String pointer) {
        return record.at(pointer).toString();
    }

    @Test
    void studentIdsBecomeStringsWhateverTheirJsonType() {
        assertThat(text(map("flex.instalment.debited", "flex", "{\"jodo_student_id\":7311}"), "/jodo_student_id"))
                .isEqualTo("\"7311\"");
        assertThat(text(map("masterdata.student.registered", "masterdata", "{\"jodo_student_id\":\"student_1\"}"),
                "/jodo_student_id")).isEqualTo("\"student_1\"");
    }

    @Test
    void subscriptionAndApplicationIdsBecomeStrings() {
        assertThat(text(map("flex.subscription.closed", "flex", "{\"subscription\":{\"id\":88001}}"),
                "/subscription/id")).isEqualTo("\"88001\"");
        assertThat(text(map("cred.loan.final_approved", "cred", "{\"application\":{\"id\":30488}}"),
                "/loan/application_id")).isEqualTo("\"30488\"");
    }

    @Test
    void amountsAsStringsOrNumbersAreExactWithTwoDecimals() {
        JsonNode record = map("direct.payment.added", "direct", "{\"payment\":{\"id\":\"p1\",\"amount\":5000,"
                + "\"details\":[{\"fee_component\":\"TUITION_FEE\",\"amount\":\"3000.00\"},"
                + "{\"fee_component\":\"BUS\",\"amount\":1999.9}]}}");
        assertThat(text(record, "/payment/amount")).isEqualTo("5000.00");
        assertThat(text(record, "/payment/components/0/amount")).isEqualTo("3000.00");
        assertThat(text(record, "/payment/components/1/amount")).isEqualTo("1999.90");
        assertThat(text(map("cred.emi.debited", "cred", "{\"application\":{\"amount\":\"100000\"},\"payment\":{}}"),
                "/loan/amount")).isEqualTo("100000.00");
    }

    @Test
    void aLongDecimalIsNotRoundedThroughBinaryFloatingPoint() {
        // Seventeen significant digits, the most the intake's number rule lets through: a double keeps sixteen.
        assertThat(text(map("pay.payment.debited", "pay", "{\"payment\":{\"amount\":123456789012345.67}}"),
                "/payment/amount")).isEqualTo("123456789012345.67");
    }

    @Test
    void orderComponentsUseComponentTypeAndTheAmountIsTheirSum() {
        JsonNode record = map("order.payment.debited", "pay", "{\"order_id\":\"order_1\",\"order\":{\"details\":["
                + "{\"component_type\":\"Admission Fee\",\"amount\":10000.0},{\"component_type\":\"Kit\",\"amount\":\"250.50\"}],"
                + "\"grade\":\"grade_5944\",\"notes\":[{\"key\":\"erp_reference_id\",\"value\":\"REF123\"}]}}");
        assertThat(text(record, "/payment/id")).isEqualTo("\"order_1\"");
        assertThat(text(record, "/payment/components/0/fee_component")).isEqualTo("\"Admission Fee\"");
        assertThat(text(record, "/payment/amount")).isEqualTo("10250.50");
        assertThat(text(record, "/payer/grade")).isEqualTo("\"grade_5944\"");
        assertThat(text(record, "/payment/notes/erp_reference_id")).isEqualTo("\"REF123\"");
        assertThat(record.get("student").isNull()).isTrue();
    }

    @Test
    void aNoteKeyGivenTwiceKeepsItsLaterValueAndTheLogSaysWhereWithoutTheValues(CapturedOutput output) {
        JsonNode record = map("masterdata.student.registered", "masterdata", "{\"student\":{\"notes\":["
                + "{\"key\":\"house\",\"value\":\"Blue\"},{\"key\":\"bus_route\",\"value\":\"7\"},"
                + "{\"key\":\"bus_route\",\"value\":\"7\"},{\"key\":\"house\",\"value\":\"Green\"}]}}");
        assertThat(record.at("/student/notes").toString()).isEqualTo("{\"house\":\"Green\",\"bus_route\":\"7\"}");
        // The same value again changes nothing and is not worth a line; another value is.
        assertThat(output.getAll()).contains("payload.student.notes[3] repeats a key given earlier")
                .doesNotContain("notes[2]").doesNotContain("house").doesNotContain("Blue").doesNotContain("Green");
    }

    @Test
    void aPaymentsFreeTextNotesBecomeItsRemark() {
        JsonNode record = map("direct.payment.updated", "direct", "{\"payment\":{\"notes\":\"cheque re-presented\"}}");
        assertThat(text(record, "/payment/remark")).isEqualTo("\"cheque re-presented\"");
        assertThat(record.at("/payment/notes").isNull()).isTrue();
    }

    @Test
    void oneDisbursementOrAListBothBecomeAList() {
        assertThat(map("cred.loan.disbursed", "cred", "{\"disbursement\":{\"id\":9101,\"amount\":60000.0}}")
                .at("/loan/disbursements").size()).isEqualTo(1);
        assertThat(map("cred.loan.agreement_signed", "cred", "{\"disbursements\":[{\"id\":1},{\"id\":2}]}")
                .at("/loan/disbursements/1/id").asText()).isEqualTo("2");
    }

    @Test
    void timesWithAnOffsetAreWrittenInUtc() {
        assertThat(text(map("flex.instalment.settled", "flex", "{\"payment\":{\"paid_at\":\"2024-07-10T12:10:12+05:30\"}}"),
                "/payment/paid_at")).isEqualTo("\"2024-07-10T06:40:12Z\"");
    }

    @Test
    void absentAndNullFieldsAreNullAndUnknownFieldsAreIgnored() {
        JsonNode record = map("flex.instalment.bounced", "flex", "{\"payment\":{\"id\":\"p\",\"reference_id\":null,"
                + "\"brand_new_field\":{\"x\":1}},\"student\":{\"custom_identifier\":null}}");
        assertThat(record.at("/payment/reference_id").isNull()).isTrue();
        assertThat(record.at("/payment/mode").isNull()).isTrue();
        assertThat(record.at("/student/custom_identifier").isNull()).isTrue();
        assertThat(record.at("/payment").has("brand_new_field")).isFalse();
    }

    @Test
    void everyRecordOfAKindHasTheSameFields() {
        JsonNode sparse = map("flex.instalment.debited", "flex", "{}");
        JsonNode full = map("flex.instalment.debited", "flex", "{\"payment\":{\"id\":\"p\",\"amount\":1}}");
        assertThat(sparse.at("/payment/id").isNull()).isTrue();
        assertThat(full.fieldNames()).toIterable().containsExactlyElementsOf(() -> sparse.fieldNames());
        assertThat(full.get("payment").fieldNames()).toIterable()
                .containsExactlyElementsOf(() -> sparse.get("payment").fieldNames());
    }

    @Test
    void anAmountThatIsNotANumberIsAMappingErrorNamingTheField() {
        assertThatThrownBy(() -> map("direct.payment.added", "direct", "{\"payment\":{\"amount\":\"five thousand\"}}"))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("payload.payment.amount");
        assertThatThrownBy(() -> map("direct.payment.added", "direct",
                "{\"payment\":{\"details\":[{\"fee_component\":\"X\",\"amount\":true}]}}"))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("payload.payment.details[0].amount");
    }

    /** A fee line or an instalment that is no object would be a line of no component and no amount. */
    @Test
    void aListItemThatIsNoObjectIsAMappingErrorNamingIt() {
        for (String[] bad : List.of(
                new String[] {"direct.payment.added", "{\"payment\":{\"details\":[null]}}",
                        "payload.payment.details[0]: expected a fee component object, got null"},
                new String[] {"order.payment.settled", "{\"order\":{\"details\":[{\"component_type\":\"Fee\","
                        + "\"amount\":1000.0},\"Waiver\"]}}",
                        "payload.order.details[1]: expected a fee component object, got text of 6 characters"},
                new String[] {"flex.subscription.setup", "{\"payment_schedule\":[20500]}",
                        "payload.payment_schedule[0]: expected an instalment object, got a number"})) {
            refused(bad[0], bad[1]).hasMessage(bad[2]);
        }
    }

    @Test
    void anAmountInDigitsOtherThanAsciiIsAMappingError() {
        // JSON escapes: Arabic-Indic and full-width digits, one mixed in; then what is no number anywhere.
        for (String amount : List.of("\\u0665\\u0660\\u0660\\u0660", "\\uFF15\\uFF10\\uFF10\\uFF10", "5\\u0660.00",
                "0x10", "1,000.00", "1e9999999999")) {
            assertThatThrownBy(() -> map("direct.payment.added", "direct",
                    "{\"payment\":{\"amount\":\"" + amount + "\"}}"))
                    .as(amount)
                    .isInstanceOf(MappingException.class)
                    .hasMessageContaining("payload.payment.amount")
                    .hasMessageContaining("is not a number");
        }
        for (String amount : List.of(" 5000 ", "+5000", "5000.", "5e3", "5000.00")) {
            assertThat(text(map("direct.payment.added", "direct", "{\"payment\":{\"amount\":\"" + amount + "\"}}"),
                    "/payment/amount")).as(amount).isEqualTo("5000.00");
        }
    }

    @Test
    void anAmountBelowZeroIsAMappingErrorNamingTheFieldAndZeroIsKept() {
        for (String[] bad : List.of(
                new String[] {"direct.payment.added", "{\"payment\":{\"amount\":-500}}", "payload.payment.amount"},
                new String[] {"direct.payment.cancelled", "{\"payment\":{\"amount\":\"-0.01\"}}",
                        "payload.payment.amount"},
                new String[] {"order.payment.settled", "{\"order\":{\"details\":[{\"component_type\":\"Fee\","
                        + "\"amount\":1000.0},{\"component_type\":\"Waiver\",\"amount\":-200}]}}",
                        "payload.order.details[1].amount"},
                new String[] {"flex.subscription.setup", "{\"payment_schedule\":[{\"amount\":-1}]}",
                        "payload.payment_schedule[0].amount"},
                new String[] {"cred.loan.final_approved", "{\"application\":{\"amount\":\"-100000\"}}",
                        "payload.application.amount"})) {
            refused(bad[0], bad[1]).hasMessageStartingWith(bad[2] + ": an amount below zero");
        }
        assertThat(text(map("direct.payment.added", "direct", "{\"payment\":{\"amount\":\"-0.00\"}}"),
                "/payment/amount")).isEqualTo("0.00");
    }

    @Test
    void aSchoolYearIsFourDigitsAsANumberOrTextAndAnythingElseIsAMappingError() {
        JsonNode record = map("masterdata.student.registered", "masterdata",
                "{\"student\":{\"academic_year_start\":\" 2024 \",\"academic_year_end\":2025}}");
        assertThat(text(record, "/student/academic_year_start")).isEqualTo("2024");
        assertThat(text(record, "/student/academic_year_end")).isEqualTo("2025");
        for (String year : List.of("99999999999", "-1", "0", "999", "10000", "2024.5", "\"24\"", "\"2024-25\"",
                "true")) {
            assertThatThrownBy(() -> map("masterdata.student.registered", "masterdata",
                    "{\"student\":{\"academic_year_start\":" + year + "}}"))
                    .as(year).isInstanceOf(MappingException.class)
                    .hasMessageStartingWith("payload.student.academic_year_start: ")
                    .hasMessageEndingWith(" is not a year (four digits, such as 2024)");
        }
        assertThatThrownBy(() -> map("order.payment.debited", "pay", "{\"order\":{\"academic_year_end\":20245}}"))
                .isInstanceOf(MappingException.class).hasMessageStartingWith("payload.order.academic_year_end: ");
    }

    @Test
    void anAmountWithMoreThanTwoDecimalsIsNotRounded() {
        assertThatThrownBy(() -> map("pay.payment.settled", "pay", "{\"payment\":{\"amount\":10.005}}"))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("payload.payment.amount");
    }

    @Test
    void datesAndTimesThatAreNotDatesAreMappingErrors() {
        assertThatThrownBy(() -> map("cred.emi.debited", "cred", "{\"payment\":{\"due_date\":\"15/02/2022\"}}"))
                .isInstanceOf(MappingException.class).hasMessageContaining("payload.payment.due_date");
        assertThatThrownBy(() -> map("flex.instalment.debited", "flex", "{\"payment\":{\"paid_at\":\"yesterday\"}}"))
                .isInstanceOf(MappingException.class).hasMessageContaining("payload.payment.paid_at");
    }

    @Test
    void textNoErpStoresIsAMappingErrorAndOrdinaryTextPasses() {
        // Escaped in JSON, a NUL is refused by PostgreSQL text and a control character by Tally's XML import.
        for (String[] bad : List.of(
                new String[] {"{\"jodo_student_id\":\"73\\u000011\"}", "payload.jodo_student_id"},
                new String[] {"{\"payment\":{\"id\":\"pay\\u0001x\"}}", "payload.payment.id"},
                new String[] {"{\"student\":{\"identifier\":\"ENR\\ud800X\"}}", "payload.student.identifier"},
                new String[] {"{\"student\":{\"identifier\":\"ENR\\udc00\"}}", "payload.student.identifier"},
                new String[] {"{\"student\":{\"identifier\":\"ENR\\uffff\"}}", "payload.student.identifier"})) {
            assertThatThrownBy(() -> map("direct.payment.added", "direct", bad[0]))
                    .as(bad[0]).isInstanceOf(MappingException.class).hasMessageContaining(bad[1])
                    .hasMessageContaining("holds a character no ERP stores");
        }
        JsonNode ordinary = map("direct.payment.added", "direct",
                "{\"student\":{\"identifier\":\"ENR\\t1\\r\\n\\ud83d\\ude00 \u0938\u0941\"}}");
        assertThat(ordinary.at("/student/identifier").asText()).isEqualTo("ENR\t1\r\n\ud83d\ude00 \u0938\u0941");
    }

    @Test
    void identifiersAreKeptUpTo128Characters() {
        // As event_id: the payment ledger and the example ERP tables key Jodo's ids at 128 characters.
        String longest = "p".repeat(128);
        assertThat(map("direct.payment.added", "direct", "{\"payment\":{\"id\":\"" + longest + "\"}}")
                .at("/payment/id").asText()).isEqualTo(longest);
        for (String[] bad : List.of(
                new String[] {"direct.payment.added", "{\"payment\":{\"id\":\"" + longest + "x\"}}", "payload.payment.id"},
                new String[] {"order.payment.settled", "{\"order_id\":\"" + longest + "x\"}", "payload.order_id"},
                new String[] {"masterdata.student.registered", "{\"jodo_student_id\":\"" + longest + "x\"}",
                        "payload.jodo_student_id"},
                new String[] {"flex.subscription.setup", "{\"subscription\":{\"id\":\"" + longest + "x\"}}",
                        "payload.subscription.id"},
                new String[] {"cred.loan.disbursed", "{\"application\":{\"id\":1},\"disbursement\":{\"id\":\""
                        + longest + "x\"}}", "payload.disbursement.id"})) {
            assertThatThrownBy(() -> map(bad[0], bad[0].substring(0, bad[0].indexOf('.')), bad[1]))
                    .as(bad[2]).isInstanceOf(MappingException.class)
                    .hasMessage(bad[2] + ": an identifier of 129 characters; Jodo's ids are kept up to 128");
        }
    }

    @Test
    void datesAndTimesBeyondFourDigitYearsAreMappingErrors() {
        // Java reads years up to a billion; the contract's YYYY-MM-DD and ISO-8601 UTC times, and every ERP, hold 0-9999.
        assertThatThrownBy(() -> map("pay.payment.settled", "pay",
                "{\"payment\":{\"paid_at\":\"+999999999-12-31T23:59:59+05:30\"}}"))
                .isInstanceOf(MappingException.class).hasMessageContaining("payload.payment.paid_at")
                .hasMessageContaining("a year from 0000 to 9999");
        assertThatThrownBy(() -> map("pay.payment.settled", "pay", "{\"payment\":{\"paid_at\":\"-0001-01-01T00:00:00Z\"}}"))
                .isInstanceOf(MappingException.class).hasMessageContaining("payload.payment.paid_at");
        assertThatThrownBy(() -> map("cred.emi.debited", "cred", "{\"payment\":{\"due_date\":\"+10000-01-01\"}}"))
                .isInstanceOf(MappingException.class).hasMessageContaining("payload.payment.due_date");
        JsonNode edge = map("pay.payment.settled", "pay",
                "{\"payment\":{\"paid_at\":\"9999-12-31T23:59:59Z\",\"due_date\":\"0000-01-01\"}}");
        assertThat(edge.at("/payment/paid_at").asText()).isEqualTo("9999-12-31T23:59:59Z");
        assertThat(edge.at("/payment/due_date").asText()).isEqualTo("0000-01-01");
    }

    @Test
    void anUnknownEventInAKnownFamilyIsNeverGuessed() {
        assertThatThrownBy(() -> map("flex.instalment.refunded", "flex", "{}"))
                .isInstanceOf(UnknownEventException.class)
                .hasMessageContaining("flex.instalment.refunded");
    }

    @Test
    void theCatalogKnowsAllThirtySixEvents() {
        assertThat(EventCatalog.size()).isEqualTo(36);
    }
}
