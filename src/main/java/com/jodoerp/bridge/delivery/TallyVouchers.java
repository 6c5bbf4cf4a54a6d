package com.jodoerp.bridge.delivery;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Receipt vouchers in Tally's XML import envelope (TallyPrime and Tally.ERP 9: {@code TALLYREQUEST} Import Data,
 * report Vouchers), for the tally transport over HTTP and for the file and SFTP targets' {@code format: tally}.
 * Each payment is one voucher with a stable {@code REMOTEID} ({@code jodo-<payment id>}), so importing it again
 * alters it instead of adding another; a cancellation or reversal imports the voucher and then cancels it (ACTION
 * Cancel), so it is right whether or not the receipt reached Tally first, and so does a bounce of a debit it booked.
 * Debit lines are {@code ISDEEMEDPOSITIVE} Yes with a negative amount, credit lines No with a positive one, as
 * Tally's import expects. Ledger names come from the school's mapping (config/tally.yaml); the voucher's date is the
 * school's day.
 */
public final class TallyVouchers {

    private static final DateTimeFormatter TALLY_DATE = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(identifier|custom_identifier|fullname)}");
    private static final Set<String> CREDITS = Set.of("fee-heads", "party");
    /** What config/tally.yaml may say. */
    private static final List<String> MAPPING_KEYS = List.of("company", "voucher-type", "party-ledger", "walk-in-party",
            "pay-orders-party", "credit", "fee-head-ledgers", "deposit-ledgers");

    private final MappingFile mapping;
    private final boolean payerParty;
    private final Receipts receipts;

    private TallyVouchers(MappingFile mapping, Receipts receipts) {
        this.mapping = mapping;
        this.payerParty = Receipt.payerParty(mapping);
        this.receipts = receipts;
    }

    /** Reads and checks the mapping named by the target's option {@code mapping}. */
    public static TallyVouchers of(String target, Map<String, String> options, Receipts receipts) {
        String at = "bridge.targets." + target + ".options.mapping";
        String file = options.get("mapping");
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException(at + " is missing: the Tally ledgers (config/tally.yaml)");
        }
        MappingFile mapping = MappingFile.read(at, java.nio.file.Path.of(file.trim()), MAPPING_KEYS);
        mapping.text("company");
        mapping.text("party-ledger");
        mapping.text("walk-in-party");
        mapping.requireDefault("deposit-ledgers");
        mapping.requireDefault("fee-head-ledgers");
        if (!CREDITS.contains(mapping.optional("credit", "fee-heads"))) {
            throw new IllegalArgumentException(at + ": credit must be fee-heads or party");
        }
        return new TallyVouchers(mapping, receipts);
    }

    /**
     * The import envelope for the record, or null when it books nothing: not a receipt of the school's, or money that
     * never came (bounced, failed, expired) that no earlier record booked. Tally cannot be asked whether one did, so
     * the bridge's ledger says (Receipts.booked): that receipt is imported as it was booked and cancelled; with none,
     * nothing is sent, as a cancelled voucher for every bounced debit or expired link would crowd the day book.
     */
    public String envelope(Map<?, ?> record) {
        return envelope(receipts.of(record));
    }

    /** The import envelope for the record as a receipt ({@link #envelope(Map)}). */
    String envelope(Receipt receipt) {
        Receipt booked = receipt.intent() == Receipt.Intent.VOID ? receipts.booked(receipt.paymentId()).orElse(null)
                : receipt;
        if (receipt.intent() == Receipt.Intent.NONE || booked == null) {
            return null;
        }
        return document(xml -> {
            xml.writeStartElement("ENVELOPE");
            xml.writeStartElement("HEADER");
            element(xml, "TALLYREQUEST", "Import Data");
            xml.writeEndElement();
            xml.writeStartElement("BODY");
            xml.writeStartElement("IMPORTDATA");
            xml.writeStartElement("REQUESTDESC");
            element(xml, "REPORTNAME", "Vouchers");
            xml.writeStartElement("STATICVARIABLES");
            element(xml, "SVCURRENTCOMPANY", mapping.text("company"));
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeStartElement("REQUESTDATA");
            receiptVoucher(xml, booked);
            if (receipt.intent() != Receipt.Intent.BOOK) {
                cancellation(xml, booked, receipt);
            }
        });
    }

    /**
     * The export request for the reconciliation: a collection of the company's vouchers of the day (a voucher
     * collection holds the period given by SVFROMDATE and SVTODATE), each with its REMOTEID, whether it is cancelled,
     * and its ledger entries, defined inline in TDL as Tally's integration reference shows for collections it does not
     * have.
     */
    public String dayExport(LocalDate day) {
        return document(xml -> {
            xml.writeStartElement("ENVELOPE");
            xml.writeStartElement("HEADER");
            element(xml, "VERSION", "1");
            element(xml, "TALLYREQUEST", "Export");
            element(xml, "TYPE", "Collection");
            element(xml, "ID", "Jodo Receipts");
            xml.writeEndElement();
            xml.writeStartElement("BODY");
            xml.writeStartElement("DESC");
            xml.writeStartElement("STATICVARIABLES");
            element(xml, "SVEXPORTFORMAT", "$$SysName:XML");
            element(xml, "SVCURRENTCOMPANY", mapping.text("company"));
            element(xml, "SVFROMDATE", day.format(TALLY_DATE));
            element(xml, "SVTODATE", day.format(TALLY_DATE));
            xml.writeEndElement();
            xml.writeStartElement("TDL");
            xml.writeStartElement("TDLMESSAGE");
            xml.writeStartElement("COLLECTION");
            xml.writeAttribute("NAME", "Jodo Receipts");
            xml.writeAttribute("ISMODIFY", "No");
            element(xml, "TYPE", "Voucher");
            element(xml, "FETCH", "REMOTEID, DATE, VOUCHERTYPENAME, ISCANCELLED, ALLLEDGERENTRIES.LIST");
        });
    }

    /** Something written into an XML document. */
    private interface Writing {
        void to(XMLStreamWriter xml) throws XMLStreamException;
    }

    /** The document {@code writing} writes, as text; the elements it leaves open are closed at its end. */
    private static String document(Writing writing) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            writing.to(xml);
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML to a string cannot fail", e);
        }
        return text.toString();
    }

    private void receiptVoucher(XMLStreamWriter xml, Receipt receipt) throws XMLStreamException {
        voucher(xml, receipt, "Create");
        element(xml, "REFERENCE", receipt.reference());
        element(xml, "NARRATION", receipt.description());
        element(xml, "PARTYLEDGERNAME", party(receipt));
        // Debit: where the money went, by payment mode.
        entry(xml, mapping.lookup("deposit-ledgers", receipt.mode()), receipt.amount().negate(), true);
        if ("party".equals(mapping.optional("credit", "fee-heads"))) {
            entry(xml, party(receipt), receipt.amount(), false);
        } else {
            for (Receipt.Line line : receipt.balancedLines()) {
                entry(xml, mapping.lookup("fee-head-ledgers", line.feeComponent()), line.amount(), false);
            }
        }
        xml.writeEndElement();
        xml.writeEndElement();
    }

    /** Cancels the voucher {@code booked} imported, saying which record of Jodo's cancelled it. */
    private void cancellation(XMLStreamWriter xml, Receipt booked, Receipt because) throws XMLStreamException {
        voucher(xml, booked, "Cancel");
        element(xml, "NARRATION", "Cancelled in Jodo (" + because.event() + ", " + because.eventId() + ")");
        xml.writeEndElement();
        xml.writeEndElement();
    }

    private void voucher(XMLStreamWriter xml, Receipt receipt, String action) throws XMLStreamException {
        String type = mapping.optional("voucher-type", "Receipt");
        xml.writeStartElement("TALLYMESSAGE");
        xml.writeStartElement("VOUCHER");
        xml.writeAttribute("REMOTEID", "jodo-" + receipt.paymentId());
        xml.writeAttribute("VCHTYPE", type);
        xml.writeAttribute("ACTION", action);
        element(xml, "DATE", receipt.date().format(TALLY_DATE));
        element(xml, "VOUCHERTYPENAME", type);
    }

    private static void entry(XMLStreamWriter xml, String ledger, BigDecimal amount, boolean debit)
            throws XMLStreamException {
        xml.writeStartElement("ALLLEDGERENTRIES.LIST");
        element(xml, "LEDGERNAME", ledger);
        element(xml, "ISDEEMEDPOSITIVE", debit ? "Yes" : "No");
        element(xml, "AMOUNT", amount.setScale(2).toPlainString());
        xml.writeEndElement();
    }

    /**
     * The student's ledger, named by the mapping's party-ledger pattern; Pay orders without a student: walk-in, or
     * the ledger of the student their payer names when the mapping says so (Receipt.payerParty).
     */
    private String party(Receipt receipt) {
        if (receipt.party("identifier", payerParty) == null && receipt.party("custom_identifier", payerParty) == null) {
            return mapping.text("walk-in-party");
        }
        Matcher placeholders = PLACEHOLDER.matcher(mapping.text("party-ledger"));
        StringBuilder name = new StringBuilder();
        while (placeholders.find()) {
            String value = receipt.party(placeholders.group(1), payerParty);
            placeholders.appendReplacement(name, Matcher.quoteReplacement(value == null ? "" : value));
        }
        placeholders.appendTail(name);
        return name.toString().replaceAll("\\s+", " ").trim();
    }

    private static void element(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(value == null ? "" : value);
        xml.writeEndElement();
    }
}
