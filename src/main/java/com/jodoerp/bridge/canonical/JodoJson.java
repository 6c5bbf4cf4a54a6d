package com.jodoerp.bridge.canonical;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one rule for the bytes of a Jodo event, applied at the door (a 400) and again wherever a stored body is
 * read (dispatch, delivery, the admin view), so nothing the intake accepts can fail a later stage:
 * <ul>
 *   <li>UTF-8. A leading UTF-8 byte-order mark is ignored, as RFC 8259 lets a parser do (the stored bytes keep it,
 *       for the signature); UTF-16/32 (recognised by their BOM or by NUL bytes, which UTF-8 JSON never contains) and
 *       malformed UTF-8 are {@code invalid_encoding}.</li>
 *   <li>One JSON object, no duplicate names, nothing after it, nested at most 64 deep: {@code invalid_json}.</li>
 *   <li>Every number at most {@value #MAX_INTEGER_DIGITS} digits before the decimal point and
 *       {@value #MAX_FRACTION_DIGITS} after it, exponent included ({@code 1e999999} would otherwise become an
 *       amount of a million digits): {@code invalid_number}.</li>
 * </ul>
 * Messages name the place (field path, line and column, byte offset), never the value: payloads carry parents'
 * phone numbers and e-mail addresses.
 */
public final class JodoJson {

    /** Fifteen digits hold any rupee amount (a hundred lakh crore) and any Unix time or phone number Jodo sends. */
    public static final int MAX_INTEGER_DIGITS = 15;
    public static final int MAX_FRACTION_DIGITS = 20;

    // Set deliberately rather than left to Jackson's defaults, which allow 1000-digit numbers and 20 MB strings.
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(64)
            .maxNumberLength(64)
            .maxNameLength(1_000)
            .maxStringLength(4 * 1024 * 1024)
            .maxDocumentLength(16L * 1024 * 1024)
            .build();

    private static final ObjectMapper READER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(LIMITS)
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JodoValues.nodes())
            .build();

    /** Why a body breaks the rule: an error code for the 400 answer and a message without any payload value. */
    public static final class BodyException extends RuntimeException {

        private final String code;

        BodyException(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private JodoJson() {
    }

    /** The body as text, when it is UTF-8; without its byte-order mark, if it has one. */
    public static String text(byte[] body) {
        int start = checkEncoding(body);
        return new String(body, start, body.length - start, StandardCharsets.UTF_8);
    }

    /**
     * Checks the encoding rule and says where the text starts (after a byte-order mark). Decodes through a small
     * buffer that is overwritten as it fills: only whether the bytes decode matters here, and a copy of the whole
     * body as characters, dropped at once, was a quarter of what a parse allocated (JFR, bench/RESULTS.md).
     */
    private static int checkEncoding(byte[] body) {
        boolean bom = body.length >= 3
                && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF;
        if (body.length >= 2 && ((body[0] & 0xFF) == 0xFE && (body[1] & 0xFF) == 0xFF
                || (body[0] & 0xFF) == 0xFF && (body[1] & 0xFF) == 0xFE)) {
            throw new BodyException("invalid_encoding", "body is UTF-16 or UTF-32 (byte-order mark); send UTF-8");
        }
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                throw new BodyException("invalid_encoding",
                        "body has a NUL byte at offset " + i + " (UTF-16 or UTF-32?); send UTF-8");
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int start = bom ? 3 : 0;
        ByteBuffer in = ByteBuffer.wrap(body, start, body.length - start);
        CharBuffer out = CharBuffer.allocate(256);
        CoderResult result;
        while ((result = decoder.decode(in, out, true)).isOverflow()) {
            out.clear();
        }
        if (result.isError()) {
            throw new BodyException("invalid_encoding", "body is not valid UTF-8 at byte offset " + in.position());
        }
        return start;
    }

    /** The body as a JSON tree with exact decimals, when it keeps the whole rule (see the class comment). */
    public static JsonNode parse(byte[] body) {
        // Checked here for the exact error; Jackson itself skips a UTF-8 byte-order mark.
        checkEncoding(body);
        JsonNode tree;
        try {
            tree = READER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new BodyException("invalid_json", "body exceeds a JSON limit (nesting over 64 levels, a number over"
                    + " 64 characters or a name over 1000)");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new BodyException("invalid_json", "body is not valid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? ": a field name appears twice" : ""));
        } catch (IOException e) {
            throw new BodyException("invalid_json", "body is not valid JSON");
        }
        if (tree == null || tree.isMissingNode()) {
            throw new BodyException("invalid_json", "body is empty; expected a JSON object");
        }
        checkNumbers(tree, new StringBuilder());
        return tree;
    }

    /** A decimal that keeps the number rule, else the reason it does not (for mapping amounts written as text). */
    static String numberProblem(BigDecimal number) {
        int integerDigits = number.signum() == 0 ? 0 : number.precision() - number.scale();
        if (integerDigits > MAX_INTEGER_DIGITS) {
            return "has more than " + MAX_INTEGER_DIGITS + " digits before the decimal point";
        }
        if (number.scale() > MAX_FRACTION_DIGITS) {
            return "has more than " + MAX_FRACTION_DIGITS + " digits after the decimal point";
        }
        return null;
    }

    /** Every number in the tree keeps the rule; {@code path} is built as the walk goes, one buffer for the walk. */
    private static void checkNumbers(JsonNode node, StringBuilder path) {
        if (node.isNumber()) {
            String problem = numberProblem(node.decimalValue());
            if (problem != null) {
                String where = path.length() == 0 ? "$"
                        : path.length() > 120 ? path.substring(0, 120) + "..." : path.toString();
                throw new BodyException("invalid_number", "number at '" + where + "' " + problem);
            }
            return;
        }
        int at = path.length();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                checkNumbers(field.getValue(), (at == 0 ? path : path.append('.')).append(field.getKey()));
                path.setLength(at);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkNumbers(node.get(i), path.append('[').append(i).append(']'));
                path.setLength(at);
            }
        }
    }
}
