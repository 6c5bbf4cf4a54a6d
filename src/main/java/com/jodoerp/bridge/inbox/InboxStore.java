package com.jodoerp.bridge.inbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.jodoerp.bridge.flow.Flow;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** Writes an accepted webhook into the inbox, in the transaction that recorded its event id. */
@Component("inboxStore")
public class InboxStore {

    private static final String INSERT = """
            INSERT INTO inbox_event (event_id, event_name, event_timestamp, received_at, remote_address, raw_body)
            VALUES (:eventId, :event, :timestamp, :receivedAt, :remoteAddress, :rawBody)""";

    private final NamedParameterJdbcTemplate jdbc;

    public InboxStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void store(Exchange exchange) {
        jdbc.update(INSERT, new MapSqlParameterSource()
                .addValue("eventId", exchange.getProperty(Flow.EVENT_ID, String.class))
                .addValue("event", exchange.getProperty(Flow.EVENT, String.class))
                .addValue("timestamp", exchange.getProperty(Flow.TIMESTAMP, Long.class))
                .addValue("receivedAt", OffsetDateTime.ofInstant(
                        exchange.getProperty(Flow.RECEIVED_AT, Instant.class), ZoneOffset.UTC))
                .addValue("remoteAddress", exchange.getProperty(Flow.REMOTE_ADDRESS, String.class))
                .addValue("rawBody", exchange.getMessage().getBody(byte[].class)));
    }
}
