package com.jodoerp.bridge.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The one rule for a Jodo body's bytes, as the door, dispatch, delivery and the admin view all apply it. */
class JodoJsonTest {

    private static final String BODY = "{\"name\":\"आरव\",\"amount\":5000.50,\"ids\":[9876543210]}";

    @Test
    void utf8IsReadWithExactDecimalsAndALeadingByteOrderMarkIsIgnored() {
        byte[] utf8 = BODY.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[utf8.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, withBom, 3, utf8.length);

        assertThat(JodoJson.text(withBom)).isEqualTo(BODY);
        assertThat(JodoJson.parse(withBom).path("amount").decimalValue()).isEqualTo(new BigDecimal("5000.50"));
        assertThat(JodoJson.parse(utf8)).isEqualTo(JodoJson.parse(withBom));
    }

    @Test
    void otherEncodingsAreRefusedWithWhereTheyBreak() {
        assertThatThrownBy(() -> JodoJson.text(BODY.getBytes(StandardCharsets.UTF_16LE)))
                .isInstanceOf(JodoJson.BodyException.class).hasMessageContaining("UTF-16");
        assertThatThrownBy(() -> JodoJson.text(BODY.getBytes(StandardCharsets.UTF_16)))
                .hasMessageContaining("byte-order mark");
        assertThatThrownBy(() -> JodoJson.text(new byte[] {'{', '"', 'a', (byte) 0xC3, (byte) 0x28, '"', '}'}))
                .hasMessage("body is not valid UTF-8 at byte offset 3")
                .extracting(e -> ((JodoJson.BodyException) e).code()).isEqualTo("invalid_encoding");
    }

    @Test
    void aLongBodyIsCheckedToItsLastByteWhereverItsCharactersFall() {
        // Longer than the check's character buffer, with three-byte characters across its boundaries.
        String name = "आरव".repeat(400);
        byte[] valid = ("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(JodoJson.parse(valid).path("name").asText()).isEqualTo(name);
        assertThat(JodoJson.text(valid)).isEqualTo("{\"name\":\"" + name + "\"}");
        byte[] broken = valid.clone();
        broken[3000] = (byte) 0xFF; // where a character starts
        assertThatThrownBy(() -> JodoJson.parse(broken)).hasMessage("body is not valid UTF-8 at byte offset 3000");
        byte[] truncated = Arrays.copyOf(valid, valid.length - 4);
        assertThatThrownBy(() -> JodoJson.text(truncated)).hasMessageStartingWith("body is not valid UTF-8 at byte offset");
    }

    @Test
    void numbersAreBoundedWhateverTheirNotation() {
        assertThat(code("{\"a\":1e999999}")).isEqualTo("invalid_number");
        assertThat(code("{\"a\":1234567890123456}")).isEqualTo("invalid_number");
        assertThat(code("{\"a\":[1,{\"b\":0.1234567890123456789012}]}")).isEqualTo("invalid_number");
        assertThat(code("{\"a\":" + "9".repeat(80) + "}")).isEqualTo("invalid_json");
        assertThatThrownBy(() -> JodoJson.parse("{\"a\":[1,{\"b\":-1e16}]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("number at 'a[1].b' has more than 15 digits before the decimal point");
        assertThat(JodoJson.parse("{\"a\":999999999999999.99,\"b\":1E+3,\"c\":0E-20}".getBytes(StandardCharsets.UTF_8))
                .path("b").decimalValue()).isEqualByComparingTo("1000");
    }

    @Test
    void invalidJsonIsDescribedByPlaceNeverByValue() {
        assertThatThrownBy(() -> JodoJson.parse("{\"phone\": parentphone9876543210}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("body is not valid JSON at line 1, column")
                .hasMessageNotContaining("9876543210");
        assertThat(code("{\"a\":1,\"a\":2}")).isEqualTo("invalid_json");
        assertThat(code("{} {}")).isEqualTo("invalid_json");
    }

    private static String code(String json) {
        try {
            JodoJson.parse(json.getBytes(StandardCharsets.UTF_8));
            return "accepted";
        } catch (JodoJson.BodyException e) {
            return e.code();
        }
    }
}
