package com.jodoerp.bridge.reconciliation;

import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.delivery.PaymentStandings;
import com.jodoerp.bridge.delivery.Receipt;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** The payment ledger's word on a payment (PaymentLedger keeps its winning record), for the books' targets. */
@Component
public class LedgerStandings implements PaymentStandings {

    private final NamedParameterJdbcTemplate jdbc;

    public LedgerStandings(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean neverCame(String paymentId) {
        List<String> status = jdbc.queryForList("SELECT status FROM payment_ledger WHERE payment_id = :paymentId",
                Map.of("paymentId", paymentId), String.class);
        return !status.isEmpty() && Receipt.intentOf(status.get(0)) == Receipt.Intent.VOID;
    }
}
