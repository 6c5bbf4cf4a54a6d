package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

/** The CSV layout of canonical records, read from the golden records of Jodo's samples. */
class CsvRecordsTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    @Test
    void aPaymentRowPerFeeComponentCarriesTheStudentsYearGradeAndSubscription() throws IOException {
        List<String> lines = render("flex.instalment.debited");

        assertThat(lines.get(0)).isEqualTo("event_id,event,occurred_at,jodo_student_id,student_identifier,payment_id,"
                + "product,status,amount,currency,mode,paid_at,due_date,reference_id,transaction_id,settlement_utr,"
                + "remark,payer_name,loan_application_id,fee_component,component_amount,component_settlement_utr,"
                + "component_settled_at,student_custom_identifier,student_name,collector_code,grade_code,grade_name,"
                + "academic_year_start,academic_year_end,subscription_id,initial_due_date");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).endsWith(",TUITION_FEE,20000.00,,,ADM/0457,,MAIN,G5A,Grade 5,2024,2025,88001,");
        assertThat(lines.get(2)).endsWith(",TRANSPORT_FEE,500.00,,,ADM/0457,,MAIN,G5A,Grade 5,2024,2025,88001,");
        assertThat(lines.get(1)).contains(",20500.00,INR,");
    }

    @Test
    void aPayLinksRowTakesTheStudentContextItsPayerCarries() throws IOException {
        List<String> lines = render("payment_link.payment.expired");

        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains(",any_ref_id,order_12345,payment_link,EXPIRED,1000.00,")
                .endsWith(",Payable Amount,1000.00,,,cust_1234,Student Name,,grade_5944,,2022,2023,,");
    }

    @Test
    void subscriptionsAndLoansCarryTheStudentContextAfterTheirOwnColumns() throws IOException {
        assertThat(render("flex.subscription.setup").get(0)).endsWith(
                "instalment_due_date,instalment_amount,student_custom_identifier,student_name,collector_code,"
                        + "grade_code,grade_name,academic_year_start,academic_year_end");
        assertThat(render("cred.loan.disbursed").get(1)).contains(",disbursed,");
    }

    @Test
    void studentsKeepTheirOwnLayout() throws IOException {
        assertThat(render("masterdata.student.registered").get(0)).endsWith(",contact_number,contact_email");
    }

    @Test
    void formulaCellsAreNeutralisedWhileAmountsStayNumbers() throws IOException {
        Map<String, Object> record = golden("direct.payment.cancelled");
        @SuppressWarnings("unchecked")
        Map<String, Object> student = (Map<String, Object>) record.get("student");
        student.put("identifier", "=HYPERLINK(\"http://evil.example\",\"fee\")");
        student.put("custom_identifier", "+1+1");
        student.put("fullname", "@SUM(A1)");
        student.put("collector_code", "-2+3");
        @SuppressWarnings("unchecked")
        Map<String, Object> payment = (Map<String, Object>) record.get("payment");
        payment.put("amount", new BigDecimal("-250.00"));
        payment.put("remark", "\tcmd");
        payment.put("mode", "\rcmd");

        String row = CsvRecords.render(record).split("\r\n")[1];

        assertThat(row).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"fee\"\")\",")
                .contains(",'+1+1,").contains(",'@SUM(A1),").contains(",'-2+3,").contains(",'\tcmd,")
                .contains(",\"'\rcmd\",").contains(",-250.00,");
    }

    private static List<String> render(String event) throws IOException {
        return List.of(CsvRecords.render(golden(event)).split("\r\n"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> golden(String event) throws IOException {
        try (InputStream golden = CsvRecordsTest.class.getResourceAsStream("/canonical/" + event + ".json")) {
            return JSON.readValue(golden, Map.class);
        }
    }
}
