package com.jodoerp.bridge.delivery;

import java.io.IOException;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import com.jodoerp.bridge.flow.SchoolProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Reads payment records as the school's books take them: on the school's day, and as the payment stands now. */
@Component
public final class Receipts {

    private final ZoneId zone;
    private final PaymentStandings standings;

    @Autowired
    public Receipts(SchoolProperties school, PaymentStandings standings) {
        this(school.zone(), standings);
    }

    public Receipts(ZoneId zone, PaymentStandings standings) {
        this.zone = zone;
        this.standings = standings;
    }

    /** The school's time zone. */
    public ZoneId zone() {
        return zone;
    }

    /**
     * The record as a receipt, for books that keep one entry per payment. A record of money coming in is booked as the
     * payment's winning record books it (its amount, fee components and day), while the bridge keeps that record: an
     * "added" arriving after its "updated", or delivered while it is, never puts the older amount back in the books.
     */
    public Receipt of(Map<?, ?> record) {
        Receipt receipt = Receipt.of(record, zone, standings::standing);
        if (receipt.intent() != Receipt.Intent.BOOK) {
            return receipt;
        }
        return booked(receipt.paymentId()).filter(winner -> winner.intent() == Receipt.Intent.BOOK).orElse(receipt);
    }

    /** Whether the payment's winning record, read now, says its money came in (or the bridge holds none of it). */
    public boolean standsBooked(String paymentId) {
        Receipt.Intent standing = standings.standing(paymentId);
        return standing != Receipt.Intent.REVERSE && standing != Receipt.Intent.VOID;
    }

    /**
     * The receipt as the record that last booked the payment's money booked it, while the bridge keeps that record:
     * what books that cannot be asked (Tally) are told to cancel when a bounce outranks it. None when no such record
     * won, or it booked nothing (it was refused as a receipt).
     */
    public Optional<Receipt> booked(String paymentId) {
        return standings.bookingRecord(paymentId).flatMap(json -> {
            try {
                return Optional.of(Receipt.of(DeliveryQueue.storedRecord(json), zone, payment -> Receipt.Intent.NONE));
            } catch (IOException e) {
                throw new PermanentDeliveryException("reading the record that booked payment " + paymentId
                        + " failed: it is not a JSON object");
            } catch (PermanentDeliveryException notAReceipt) {
                return Optional.empty();
            }
        });
    }
}
