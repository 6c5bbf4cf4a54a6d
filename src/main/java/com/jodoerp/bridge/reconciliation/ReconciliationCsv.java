package com.jodoerp.bridge.reconciliation;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import com.jodoerp.bridge.system.CsvCells;

/**
 * A day's reconciliation as one CSV table an accountant can filter: a row per count (section received,
 * received_event, past_retention, delivery, payment, status, fee_component) and one per difference, amounts as plain
 * numbers. Keys, payment ids and statuses are text from Jodo or from the ERP, written as {@link CsvCells} writes text.
 */
public final class ReconciliationCsv {

    private static final String HEADER = "date,target,section,key,count,amount,payment_id,event_id,bridge_amount,"
            + "erp_amount,bridge_status,erp_status";

    private ReconciliationCsv() {
    }

    public static String render(Reconciliation.Report report) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        String date = report.date().toString();
        tallies(csv, date, "", "received", report.received());
        tallies(csv, date, "", "received_event", report.receivedByEvent());
        tallies(csv, date, "", "past_retention", report.pastRetention());
        for (Reconciliation.TargetDay target : report.targets()) {
            tallies(csv, date, target.target(), "delivery", target.events());
            tallies(csv, date, target.target(), "payment", target.payments());
            tallies(csv, date, target.target(), "status", target.paymentsByStatus());
            tallies(csv, date, target.target(), "fee_component", target.paymentsByFeeComponent());
            Reconciliation.ErpView erp = target.erp();
            // The bridge's side whether or not the ERP's can be read: with a folder or a REST API, these are what the
            // accountant checks the import against.
            total(csv, date, target.target(), "bridge_delivered", erp.bridgeDelivered());
            total(csv, date, target.target(), "bridge_booked", erp.bridgeBooked());
            if (!erp.available()) {
                row(csv, date, target.target(), "erp", "not available: " + erp.note(), "", "", "", "", "", "", "",
                        "");
                continue;
            }
            total(csv, date, target.target(), "erp_total", erp.erpTotal());
            total(csv, date, target.target(), "erp_booked", erp.erpBooked());
            for (Reconciliation.Difference difference : erp.differences()) {
                row(csv, date, target.target(), "difference", difference.kind(), "1", "", text(difference.paymentId()),
                        text(difference.eventId()), plain(difference.bridgeAmount()), plain(difference.erpAmount()),
                        text(difference.bridgeStatus()), text(difference.erpStatus()));
            }
        }
        return csv.toString();
    }

    private static void tallies(StringBuilder csv, String date, String target, String section,
                                List<Reconciliation.Tally> tallies) {
        for (Reconciliation.Tally tally : tallies) {
            row(csv, date, target, section, text(tally.key()), String.valueOf(tally.count()), plain(tally.amount()),
                    "", "", "", "", "", "");
        }
    }

    private static void total(StringBuilder csv, String date, String target, String key, BigDecimal amount) {
        row(csv, date, target, "erp", key, "", plain(amount), "", "", "", "", "", "");
    }

    private static void row(StringBuilder csv, String... cells) {
        CsvCells.row(csv, Arrays.asList(cells));
    }

    private static String text(String value) {
        return CsvCells.text(value);
    }

    private static String plain(BigDecimal amount) {
        return amount == null ? "" : amount.toPlainString();
    }
}
