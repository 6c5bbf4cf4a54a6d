package com.jodoerp.bridge.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bodies a buggy client or an attacker would send, each of which the intake must refuse at the door with a 400 and
 * a JSON error, storing nothing. Some carry a parent's phone number or e-mail address ({@link #PHONE_DIGITS},
 * {@link #EMAIL}) that must never come back in an answer or reach a log line. Run against a bridge in this JVM
 * (HostileBodiesTest) and against the packaged jar (HostileCorpusIT).
 */
public final class HostileCorpus {

    public static final String PHONE_DIGITS = "9812345670";
    public static final String EMAIL = "mom.sharma@example.com";
    private static final String OK_TAIL = ",\"event\":\"flex.instalment.debited\",\"timestamp\":1720593900,"
            + "\"version\":\"1.0\",\"payload\":{}}";

    /** One hostile body, named for the report. */
    public record Body(String name, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    private HostileCorpus() {
    }

    public static List<Body> bodies() {
        List<Body> bodies = new ArrayList<>();
        add(bodies, "empty body", "");
        add(bodies, "whitespace only", "   \r\n\t ");
        add(bodies, "truncated brace", "{");
        add(bodies, "truncated envelope", "{\"event_id\":\"a1\",\"event\":\"flex.instalment.debited\",\"times");
        add(bodies, "trailing comma", "{\"event_id\":\"a1\"" + OK_TAIL.substring(0, OK_TAIL.length() - 1) + ",}");
        add(bodies, "array", "[]");
        add(bodies, "array of envelopes", "[{\"event_id\":\"a1\"" + OK_TAIL + "]");
        add(bodies, "null", "null");
        add(bodies, "number", "42");
        add(bodies, "string", "\"flex.instalment.debited\"");
        add(bodies, "boolean", "true");
        add(bodies, "deeply nested arrays", "[".repeat(20_000) + "]".repeat(20_000));
        add(bodies, "deeply nested payload", "{\"event_id\":\"a1\",\"event\":\"flex.x.y\",\"timestamp\":1,"
                + "\"version\":\"1.0\",\"payload\":" + "{\"a\":".repeat(200) + "1" + "}".repeat(200) + "}");
        add(bodies, "nulls everywhere",
                "{\"event_id\":null,\"event\":null,\"timestamp\":null,\"version\":null,\"payload\":null}");
        add(bodies, "empty object", "{}");
        add(bodies, "event_id number", "{\"event_id\":123" + OK_TAIL);
        add(bodies, "event_id empty", "{\"event_id\":\"\"" + OK_TAIL);
        add(bodies, "event_id blank", "{\"event_id\":\"   \"" + OK_TAIL);
        add(bodies, "event_id path traversal", "{\"event_id\":\"../../etc/passwd\"" + OK_TAIL);
        add(bodies, "event_id too long", "{\"event_id\":\"" + "a".repeat(200) + "\"" + OK_TAIL);
        add(bodies, "event_id with newline", "{\"event_id\":\"a\\nb\"" + OK_TAIL);
        add(bodies, "event_id object", "{\"event_id\":{\"id\":\"a1\"}" + OK_TAIL);
        add(bodies, "event_id missing", OK_TAIL.replaceFirst("^,", "{"));
        add(bodies, "event number", "{\"event_id\":\"a1\",\"event\":7,\"timestamp\":1,\"version\":\"1.0\",\"payload\":{}}");
        add(bodies, "event upper case", envelope("\"FLEX.INSTALMENT.DEBITED\"", "1720593900", "\"1.0\"", "{}"));
        add(bodies, "event without a dot", envelope("\"flex\"", "1720593900", "\"1.0\"", "{}"));
        add(bodies, "event with empty segment", envelope("\"flex..debited\"", "1720593900", "\"1.0\"", "{}"));
        add(bodies, "event too long", envelope("\"a." + "b".repeat(300) + "\"", "1720593900", "\"1.0\"", "{}"));
        add(bodies, "event missing", "{\"event_id\":\"a1\",\"timestamp\":1,\"version\":\"1.0\",\"payload\":{}}");
        add(bodies, "timestamp string", envelope("\"flex.a.b\"", "\"1720593900\"", "\"1.0\"", "{}"));
        add(bodies, "timestamp fraction", envelope("\"flex.a.b\"", "1720593900.5", "\"1.0\"", "{}"));
        add(bodies, "timestamp exponent", envelope("\"flex.a.b\"", "1.7e9", "\"1.0\"", "{}"));
        add(bodies, "timestamp huge float", envelope("\"flex.a.b\"", "1e400", "\"1.0\"", "{}"));
        add(bodies, "timestamp huge integer", envelope("\"flex.a.b\"", "99999999999999999999999999", "\"1.0\"", "{}"));
        add(bodies, "timestamp beyond year 9999", envelope("\"flex.a.b\"", "253402300800", "\"1.0\"", "{}"));
        add(bodies, "timestamp negative", envelope("\"flex.a.b\"", "-1", "\"1.0\"", "{}"));
        add(bodies, "timestamp NaN", envelope("\"flex.a.b\"", "NaN", "\"1.0\"", "{}"));
        add(bodies, "number of 5000 digits", envelope("\"flex.a.b\"", "1720593900", "\"1.0\"",
                "{\"amount\":" + "9".repeat(5000) + "}"));
        add(bodies, "version number", envelope("\"flex.a.b\"", "1720593900", "1.0", "{}"));
        add(bodies, "version missing", "{\"event_id\":\"a1\",\"event\":\"flex.a.b\",\"timestamp\":1,\"payload\":{}}");
        add(bodies, "payload array", envelope("\"flex.a.b\"", "1720593900", "\"1.0\"", "[]"));
        add(bodies, "payload string", envelope("\"flex.a.b\"", "1720593900", "\"1.0\"", "\"{}\""));
        add(bodies, "payload null", envelope("\"flex.a.b\"", "1720593900", "\"1.0\"", "null"));
        add(bodies, "payload missing", "{\"event_id\":\"a1\",\"event\":\"flex.a.b\",\"timestamp\":1,\"version\":\"1\"}");
        add(bodies, "raw control character", "{\"event_id\":\"a\u0001b\"" + OK_TAIL);
        add(bodies, "raw newline in string", "{\"event_id\":\"a\nb\"" + OK_TAIL);
        add(bodies, "NUL byte", "{\"event_id\":\"a1\"\u0000" + OK_TAIL);
        add(bodies, "duplicate keys", "{\"event_id\":\"a1\",\"event_id\":\"a2\"" + OK_TAIL);
        add(bodies, "duplicate keys in payload", envelope("\"flex.a.b\"", "1", "\"1.0\"", "{\"amount\":1,\"amount\":2}"));
        add(bodies, "trailing garbage", "{\"event_id\":\"a1\"" + OK_TAIL + "xyz");
        add(bodies, "two envelopes", "{\"event_id\":\"a1\"" + OK_TAIL + "{\"event_id\":\"a2\"" + OK_TAIL);
        add(bodies, "single quotes", "{'event_id':'a1','event':'flex.a.b','timestamp':1,'version':'1','payload':{}}");
        add(bodies, "unquoted keys", "{event_id:\"a1\",event:\"flex.a.b\",timestamp:1,version:\"1\",payload:{}}");
        add(bodies, "comment", "/* hi */{\"event_id\":\"a1\"" + OK_TAIL);
        add(bodies, "xml", "<event><event_id>a1</event_id></event>");
        add(bodies, "form encoded", "event_id=a1&event=flex.a.b");
        bodies.add(new Body("invalid UTF-8", concat("{\"event_id\":\"a1\",\"event\":\"flex.a.b\",\"timestamp\":1,"
                + "\"version\":\"1.0\",\"payload\":{\"name\":\"", new byte[] {(byte) 0xC3, (byte) 0x28}, "\"}}")));
        bodies.add(new Body("lone continuation bytes", concat("{\"event_id\":\"", new byte[] {(byte) 0x80, (byte) 0xBF},
                "\"" + OK_TAIL)));
        // One rule for encodings and numbers (JodoJson): UTF-8 without a BOM, numbers of bounded size.
        String valid = envelope("\"flex.a.b\"", "1720593900", "\"1.0\"", "{\"amount\":\"5000.00\"}");
        bodies.add(new Body("UTF-8 byte-order mark, then UTF-16", concat("",
                new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "{\"event_id\u0000\":1}")));
        bodies.add(new Body("UTF-16LE", valid.getBytes(StandardCharsets.UTF_16LE)));
        bodies.add(new Body("UTF-16BE", valid.getBytes(StandardCharsets.UTF_16BE)));
        bodies.add(new Body("UTF-16 with byte-order mark", valid.getBytes(StandardCharsets.UTF_16)));
        bodies.add(new Body("UTF-32", valid.getBytes(Charset.forName("UTF-32"))));
        add(bodies, "amount with a huge exponent", envelope("\"flex.a.b\"", "1", "\"1.0\"", "{\"amount\":1e999999}"));
        add(bodies, "amount with a huge negative exponent",
                envelope("\"flex.a.b\"", "1", "\"1.0\"", "{\"amount\":-1e-999999}"));
        add(bodies, "sixteen integer digits",
                envelope("\"flex.a.b\"", "1", "\"1.0\"", "{\"amount\":1234567890123456}"));
        add(bodies, "sixteen integer digits by exponent",
                envelope("\"flex.a.b\"", "1", "\"1.0\"", "{\"amount\":1.5e15}"));
        add(bodies, "twenty-one fraction digits",
                envelope("\"flex.a.b\"", "1", "\"1.0\"", "{\"x\":[0.123456789012345678901]}"));
        // Parents' contact details where they do not belong: refused, and never echoed in an answer or a log line.
        add(bodies, "phone number as a bare token", envelope("\"flex.a.b\"", "1", "\"1.0\"",
                "{\"phone\": parentphone" + PHONE_DIGITS + "}"));
        add(bodies, "phone number as a huge number", envelope("\"flex.a.b\"", "1", "\"1.0\"",
                "{\"amount\": 91" + PHONE_DIGITS + "12345}"));
        add(bodies, "e-mail address as the event id", "{\"event_id\":\"" + EMAIL + "\"" + OK_TAIL);
        add(bodies, "e-mail address as the event", envelope("\"" + EMAIL + "\"", "1", "\"1.0\"", "{}"));
        add(bodies, "phone number as the timestamp", envelope("\"flex.a.b\"", "\"+91 " + PHONE_DIGITS + "\"",
                "\"1.0\"", "{}"));
        add(bodies, "e-mail address as the version", envelope("\"flex.a.b\"", "1", "\"" + EMAIL + "\"", "{}"));
        add(bodies, "contact details in single quotes", "{'event_id':'" + EMAIL + "','phone':'" + PHONE_DIGITS + "'}");
        add(bodies, "contact details after the envelope", "{\"event_id\":\"a1\"" + OK_TAIL + " " + EMAIL);
        return bodies;
    }

    private static String envelope(String event, String timestamp, String version, String payload) {
        return "{\"event_id\":\"a1\",\"event\":" + event + ",\"timestamp\":" + timestamp + ",\"version\":" + version
                + ",\"payload\":" + payload + "}";
    }

    private static void add(List<Body> bodies, String name, String body) {
        bodies.add(new Body(name, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
