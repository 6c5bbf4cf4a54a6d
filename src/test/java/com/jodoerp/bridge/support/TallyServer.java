package com.jodoerp.bridge.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;

import javax.xml.parsers.DocumentBuilderFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A test double of Tally's XML server (TallyPrime / Tally.ERP 9 on port 9000), on 127.0.0.1, modelling what Tally's
 * integration reference documents for importing vouchers:
 * <ul>
 *   <li>the request envelope: {@code HEADER/TALLYREQUEST} "Import Data", {@code IMPORTDATA/REQUESTDESC/REPORTNAME}
 *       "Vouchers", the company in {@code STATICVARIABLES/SVCURRENTCOMPANY}, vouchers in {@code REQUESTDATA/
 *       TALLYMESSAGE} ("XML Request and Response Formats", "Significance of Tags");</li>
 *   <li>a voucher's {@code REMOTEID} identifies it: importing one that exists alters it (ALTERED) instead of creating
 *       another (CREATED); {@code ACTION="Cancel"} cancels it (CANCELLED);</li>
 *   <li>ledger lines: debits {@code ISDEEMEDPOSITIVE} Yes with negative amounts, credits No with positive ones, and a
 *       voucher whose lines do not total zero, or that names a ledger Tally does not have, is refused with a
 *       {@code LINEERROR} and counted in {@code ERRORS};</li>
 *   <li>the answer: {@code <RESPONSE>} with CREATED, ALTERED, DELETED, LASTVCHID, LASTMID, COMBINED, IGNORED, ERRORS,
 *       CANCELLED and EXCEPTIONS, and any LINEERROR.</li>
 * </ul>
 * And for exporting ("Get Data", "Request to Export different TDL components"): a request with {@code TALLYREQUEST}
 * Export and {@code TYPE} Collection whose collection, defined inline in {@code TDL/TDLMESSAGE}, is of {@code TYPE}
 * Voucher is answered with the company's vouchers dated within {@code SVFROMDATE} to {@code SVTODATE}, each as a
 * {@code VOUCHER} element (its REMOTEID and VCHTYPE as attributes, DATE, VOUCHERTYPENAME, ISCANCELLED and its
 * ALLLEDGERENTRIES.LIST, the fields the bridge fetches) under {@code ENVELOPE/BODY/DATA/COLLECTION}, the shape in
 * which Tally exports what it imports, with {@code HEADER/STATUS} 1 ("Components of Request or Response": the
 * response header's Status says whether the request succeeded).
 * Not documented, and assumed here: a cancelled voucher imported again stays cancelled.
 */
public final class TallyServer implements AutoCloseable {

    /** One voucher as Tally holds it. */
    public record Voucher(String remoteId, String type, String date, String party, String narration,
                          Map<String, BigDecimal> lines, boolean cancelled) {
    }

    private final HttpServer server;
    private final String company;
    private final Set<String> ledgers;
    private final Map<String, Voucher> vouchers = new LinkedHashMap<>();
    private final ConcurrentLinkedDeque<Integer> failures = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<String> answers = new ConcurrentLinkedDeque<>();
    private int lastId;

    public TallyServer(String company, Set<String> ledgers) throws IOException {
        this.company = company;
        this.ledgers = ledgers;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next request is answered with this HTTP status, unread (Tally busy, or a proxy before it). */
    public void failNext(int status) {
        failures.add(status);
    }

    /** The next request is answered 200 with this text, unread: what Tally says when it cannot do what was asked. */
    public void answerNext(String text) {
        answers.add(text);
    }

    public synchronized Voucher voucher(String remoteId) {
        return vouchers.get(remoteId);
    }

    public synchronized int voucherCount() {
        return vouchers.size();
    }

    /** A voucher changed by hand in Tally, or one the accountant entered (the school's own have no REMOTEID). */
    public synchronized void put(Voucher voucher) {
        vouchers.put(voucher.remoteId(), voucher);
    }

    /** Deletes the voucher, as an accountant can. */
    public synchronized void delete(String remoteId) {
        vouchers.remove(remoteId);
    }

    /** Answers an export of a voucher collection for the period, or null when the request is no such export. */
    private synchronized String exportVouchers(Document document) {
        Element root = document.getDocumentElement();
        if (!"Export".equals(text(root, "TALLYREQUEST")) || !"Collection".equals(text(root, "TYPE"))) {
            return null;
        }
        if (!"Voucher".equals(text((Element) root.getElementsByTagName("COLLECTION").item(0), "TYPE"))) {
            return response(0, 0, 0, List.of("the double exports voucher collections only"));
        }
        if (!company.equals(text(root, "SVCURRENTCOMPANY"))) {
            return response(0, 0, 0, List.of("Could not find Company '" + text(root, "SVCURRENTCOMPANY") + "'"));
        }
        String from = text(root, "SVFROMDATE");
        String to = text(root, "SVTODATE");
        StringBuilder xml = new StringBuilder("<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>1</STATUS></HEADER>"
                + "<BODY><DESC></DESC><DATA><COLLECTION>");
        for (Voucher voucher : vouchers.values()) {
            if (voucher.date().compareTo(from) < 0 || voucher.date().compareTo(to) > 0) {
                continue;
            }
            xml.append("<VOUCHER REMOTEID=\"").append(escape(voucher.remoteId())).append("\" VCHTYPE=\"")
                    .append(escape(voucher.type())).append("\" ACTION=\"Create\"><DATE TYPE=\"Date\">")
                    .append(voucher.date()).append("</DATE><VOUCHERTYPENAME>").append(escape(voucher.type()))
                    .append("</VOUCHERTYPENAME><ISCANCELLED TYPE=\"Logical\">")
                    .append(voucher.cancelled() ? "Yes" : "No").append("</ISCANCELLED>");
            voucher.lines().forEach((ledger, amount) -> xml.append("<ALLLEDGERENTRIES.LIST><LEDGERNAME>")
                    .append(escape(ledger)).append("</LEDGERNAME><ISDEEMEDPOSITIVE>")
                    .append(amount.signum() < 0 ? "Yes" : "No").append("</ISDEEMEDPOSITIVE><AMOUNT>")
                    .append(amount.toPlainString()).append("</AMOUNT></ALLLEDGERENTRIES.LIST>"));
            xml.append("</VOUCHER>");
        }
        return xml.append("</COLLECTION></DATA></BODY></ENVELOPE>").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }

    /** Imports an envelope as Tally's import would, and returns Tally's RESPONSE. */
    public synchronized String importEnvelope(byte[] envelope) {
        int created = 0;
        int altered = 0;
        int cancelled = 0;
        List<String> errors = new ArrayList<>();
        try {
            Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(envelope));
            String exported = exportVouchers(document);
            if (exported != null) {
                return exported;
            }
            if (!"Import Data".equals(text(document.getDocumentElement(), "TALLYREQUEST"))
                    || !"Vouchers".equals(text(document.getDocumentElement(), "REPORTNAME"))) {
                return response(0, 0, 0, List.of("Unknown Request, cannot be processed"));
            }
            if (!company.equals(text(document.getDocumentElement(), "SVCURRENTCOMPANY"))) {
                return response(0, 0, 0, List.of("Could not find Company '"
                        + text(document.getDocumentElement(), "SVCURRENTCOMPANY") + "'"));
            }
            NodeList list = document.getElementsByTagName("VOUCHER");
            for (int i = 0; i < list.getLength(); i++) {
                Element voucher = (Element) list.item(i);
                String remoteId = voucher.getAttribute("REMOTEID");
                String action = voucher.getAttribute("ACTION");
                Voucher known = vouchers.get(remoteId);
                if ("Cancel".equals(action)) {
                    if (known == null) {
                        errors.add("Voucher with REMOTEID " + remoteId + " does not exist");
                    } else {
                        vouchers.put(remoteId, new Voucher(remoteId, known.type(), known.date(), known.party(),
                                known.narration(), known.lines(), true));
                        cancelled++;
                    }
                    continue;
                }
                String refused = check(voucher);
                if (refused != null) {
                    errors.add(refused);
                    continue;
                }
                Map<String, BigDecimal> lines = new LinkedHashMap<>();
                NodeList entries = voucher.getElementsByTagName("ALLLEDGERENTRIES.LIST");
                for (int j = 0; j < entries.getLength(); j++) {
                    Element entry = (Element) entries.item(j);
                    lines.merge(text(entry, "LEDGERNAME"), new BigDecimal(text(entry, "AMOUNT")), BigDecimal::add);
                }
                vouchers.put(remoteId, new Voucher(remoteId, voucher.getAttribute("VCHTYPE"), text(voucher, "DATE"),
                        text(voucher, "PARTYLEDGERNAME"), text(voucher, "NARRATION"), lines,
                        known != null && known.cancelled()));
                lastId++;
                if (known == null) {
                    created++;
                } else {
                    altered++;
                }
            }
        } catch (Exception e) {
            errors.add("Could not read the XML: " + e.getMessage());
        }
        return response(created, altered, cancelled, errors);
    }

    /** Why Tally would refuse the voucher, or null. */
    private String check(Element voucher) {
        if (!text(voucher, "DATE").matches("\\d{8}")) {
            return "Invalid date";
        }
        BigDecimal total = BigDecimal.ZERO;
        NodeList entries = voucher.getElementsByTagName("ALLLEDGERENTRIES.LIST");
        for (int j = 0; j < entries.getLength(); j++) {
            Element entry = (Element) entries.item(j);
            String ledger = text(entry, "LEDGERNAME");
            if (!ledgers.contains(ledger)) {
                return "Ledger '" + ledger + "' does not exist!";
            }
            BigDecimal amount = new BigDecimal(text(entry, "AMOUNT"));
            boolean debit = "Yes".equals(text(entry, "ISDEEMEDPOSITIVE"));
            if (debit != (amount.signum() < 0)) {
                return "Ledger '" + ledger + "': ISDEEMEDPOSITIVE does not match the sign of its amount";
            }
            total = total.add(amount);
        }
        return total.signum() == 0 ? null : "Voucher totals do not match! Dr: " + total.negate();
    }

    private String response(int created, int altered, int cancelled, List<String> errors) {
        StringBuilder xml = new StringBuilder("<RESPONSE>");
        xml.append("<CREATED>").append(created).append("</CREATED><ALTERED>").append(altered)
                .append("</ALTERED><DELETED>0</DELETED><LASTVCHID>").append(lastId)
                .append("</LASTVCHID><LASTMID>0</LASTMID><COMBINED>0</COMBINED><IGNORED>0</IGNORED><ERRORS>")
                .append(errors.size()).append("</ERRORS><CANCELLED>").append(cancelled)
                .append("</CANCELLED><EXCEPTIONS>0</EXCEPTIONS>");
        errors.forEach(error -> xml.append("<LINEERROR>").append(escape(error)).append("</LINEERROR>"));
        return xml.append("</RESPONSE>").toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Integer failure = failures.poll();
        String answer = failure == null ? answers.poll() : null;
        byte[] reply = (failure != null ? "busy" : answer != null ? answer : importEnvelope(body))
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=utf-8");
        exchange.sendResponseHeaders(failure != null ? failure : 200, reply.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
        }
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
