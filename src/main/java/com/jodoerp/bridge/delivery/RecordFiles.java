package com.jodoerp.bridge.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How a canonical record becomes a file, for the folder and SFTP transports: its content ({@code format}:
 * {@code json} or {@code csv}) and its path ({@code layout}, from {@code {family}}, {@code {kind}},
 * {@code {event}}, {@code {event_id}} and {@code {date}}, the day it was received).
 */
public final class RecordFiles {

    public static final String DEFAULT_LAYOUT = "{family}/{event_id}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private final String format;
    private final String layout;
    private final ZoneId zone;
    private final TallyVouchers tally;

    private RecordFiles(String format, String layout, ZoneId zone, TallyVouchers tally) {
        this.format = format;
        this.layout = layout;
        this.zone = zone;
        this.tally = tally;
    }

    /**
     * Reads and checks a target's {@code format} and {@code layout} options; errors name the setting. The
     * {@code {date}} of a layout is the day the record was received, in the school's time zone.
     */
    public static RecordFiles of(String target, Map<String, String> options, Receipts receipts) {
        String at = "bridge.targets." + target + ".options.";
        String format = options.getOrDefault("format", "json").trim().toLowerCase(Locale.ROOT);
        if (!Set.of("json", "csv", "tally").contains(format)) {
            throw new IllegalArgumentException(at + "format: expected json, csv or tally, got '" + format + "'");
        }
        String layout = options.getOrDefault("layout", DEFAULT_LAYOUT).trim();
        Matcher placeholders = PLACEHOLDER.matcher(layout);
        while (placeholders.find()) {
            if (!Set.of("family", "kind", "event", "event_id", "date").contains(placeholders.group(1))) {
                throw new IllegalArgumentException(at + "layout: unknown placeholder {" + placeholders.group(1)
                        + "} (known: {family}, {kind}, {event}, {event_id}, {date})");
            }
        }
        if (!layout.contains("{event_id}") || layout.startsWith("/") || layout.contains("..")) {
            throw new IllegalArgumentException(at + "layout: must be a relative path containing {event_id}, got '"
                    + layout + "'");
        }
        return new RecordFiles(format, layout, receipts.zone(),
                format.equals("tally") ? TallyVouchers.of(target, options, receipts) : null);
    }

    /** The record's path below the target folder, with the format's extension. */
    public String path(Map<?, ?> record) {
        Matcher placeholders = PLACEHOLDER.matcher(layout);
        StringBuilder path = new StringBuilder();
        while (placeholders.find()) {
            String key = placeholders.group(1);
            String value = key.equals("date")
                    ? LocalDate.ofInstant(Instant.parse(String.valueOf(record.get("received_at"))), zone).toString()
                    : String.valueOf(record.get(key));
            placeholders.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        placeholders.appendTail(path);
        return path + "." + (format.equals("tally") ? "xml" : format);
    }

    /** The file's content, or null when the record makes no file (Tally: a record that books nothing). */
    public byte[] content(Map<?, ?> record) {
        if (tally != null) {
            String envelope = tally.envelope(record);
            return envelope == null ? null : envelope.getBytes(StandardCharsets.UTF_8);
        }
        if (format.equals("csv")) {
            return CsvRecords.render(record).getBytes(StandardCharsets.UTF_8);
        }
        try {
            return (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a canonical record always serialises", e);
        }
    }
}
