package com.jodoerp.bridge.delivery;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import com.jodoerp.bridge.flow.Flow;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The Tally transport's Java side (routes/tally-target.camel.yaml posts the envelope): the voucher envelope for each
 * record (TallyVouchers), and Tally's {@code <RESPONSE>} read: its counts (CREATED, ALTERED, CANCELLED, ...) and its
 * errors. A {@code LINEERROR} (an unknown ledger, totals that do not match) is a dead letter with Tally's words; no
 * answer, or a 5xx, is Tally being down or busy, retried.
 */
@Component("tallyTarget")
public class TallyTarget implements Transport {

    private final Map<String, TallyVouchers> targets = new ConcurrentHashMap<>();
    private final Receipts receipts;

    public TallyTarget(Receipts receipts) {
        this.receipts = receipts;
    }

    @Override
    public String name() {
        return "tally";
    }

    @Override
    public Map<String, String> prepare(String target, Map<String, String> options, CamelContext camelContext) {
        Map<String, String> parameters = HttpOptions.parameters(target, options,
                "http://tally.school.lan:9000, Tally's XML server");
        targets.put(target, TallyVouchers.of(target, options, receipts));
        return parameters;
    }

    /** The record's import envelope as the body, or no body when it books nothing. */
    public void request(Exchange exchange) {
        Receipt receipt = receipts.of(exchange.getMessage().getBody(Map.class));
        String envelope = vouchers(exchange).envelope(receipt);
        if (envelope != null && receipt.intent() == Receipt.Intent.BOOK) {
            exchange.setProperty(Flow.BOOKED_PAYMENT, receipt.paymentId());
        }
        post(exchange, envelope);
    }

    /** Tally's answer: delivered when it imported something without an error. */
    public void answer(Exchange exchange) {
        Document response = parse(exchange.getMessage());
        List<String> errors = texts(response, "LINEERROR");
        int failed = count(response, "ERRORS") + count(response, "EXCEPTIONS");
        if (!errors.isEmpty() || failed > 0) {
            throw new PermanentDeliveryException("Tally refused the voucher: " + (errors.isEmpty()
                    ? failed + " error(s) and no line error" : RestTarget.excerpt(String.join("; ", errors))));
        }
        int imported = count(response, "CREATED") + count(response, "ALTERED") + count(response, "CANCELLED")
                + count(response, "DELETED") + count(response, "COMBINED");
        if (imported == 0) {
            throw new PermanentDeliveryException("Tally imported nothing (" + count(response, "IGNORED")
                    + " ignored): is the company open and the voucher type known?");
        }
    }

    /**
     * For the reconciliation (the tally-reconciliation template): the export request for the day's vouchers
     * (header {@link Flow#DAY}) as the body.
     */
    public void dayExport(Exchange exchange) {
        post(exchange, vouchers(exchange).dayExport(LocalDate.parse(exchange.getMessage().getHeader(Flow.DAY,
                String.class))));
    }

    private TallyVouchers vouchers(Exchange exchange) {
        return targets.get(exchange.getProperty(Flow.TARGET, String.class));
    }

    /** The XML to post to Tally's server as the message, or no body when there is none to post. */
    private static void post(Exchange exchange, String envelope) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, "text/xml; charset=utf-8");
        message.setBody(envelope);
    }

    /**
     * The day's Jodo vouchers (REMOTEID jodo-&lt;payment id&gt;; the school's own vouchers have none) as
     * {payment_id, amount, status}: the amount what the voucher credits (its entries above zero), the status booked
     * or cancelled.
     */
    public void dayExported(Exchange exchange) {
        Document response = parse(exchange.getMessage());
        List<String> errors = texts(response, "LINEERROR");
        if (!errors.isEmpty()) {
            throw new PermanentDeliveryException("Tally refused the export: "
                    + RestTarget.excerpt(String.join("; ", errors)));
        }
        // Tally's answer says in its HEADER's STATUS whether the request succeeded: one that failed, or that is no
        // collection at all, holds no vouchers to compare, which is not "none in the books".
        String status = texts(response, "STATUS").stream().findFirst().orElse("1");
        String failed = !"1".equals(status) ? "STATUS " + status
                : response.getElementsByTagName("COLLECTION").getLength() == 0 ? "no collection in its answer" : null;
        if (failed != null) {
            throw new TransientDeliveryException("Tally did not export the day's vouchers (" + failed + "): "
                    + RestTarget.excerpt(exchange.getMessage().getBody(String.class)), null);
        }
        NodeList vouchers = response.getElementsByTagName("VOUCHER");
        List<Map<String, Object>> held = new ArrayList<>();
        for (int i = 0; i < vouchers.getLength(); i++) {
            Element voucher = (Element) vouchers.item(i);
            String remoteId = voucher.getAttribute("REMOTEID");
            if (!remoteId.startsWith("jodo-")) {
                continue;
            }
            BigDecimal credited = BigDecimal.ZERO.setScale(2);
            NodeList entries = voucher.getElementsByTagName("ALLLEDGERENTRIES.LIST");
            for (int j = 0; j < entries.getLength(); j++) {
                NodeList amount = ((Element) entries.item(j)).getElementsByTagName("AMOUNT");
                String text = amount.getLength() == 0 ? "" : amount.item(0).getTextContent().trim();
                // Credits are the entries above zero (debits are negative, ISDEEMEDPOSITIVE Yes).
                if (text.matches("\\d{1,17}(\\.\\d{1,4})?")) {
                    credited = credited.add(new BigDecimal(text));
                }
            }
            NodeList cancelled = voucher.getElementsByTagName("ISCANCELLED");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("payment_id", remoteId.substring("jodo-".length()));
            row.put("amount", credited);
            row.put("status", cancelled.getLength() > 0 && "Yes".equals(cancelled.item(0).getTextContent().trim())
                    ? Receipt.CANCELLED : Receipt.BOOKED);
            held.add(row);
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(held);
    }

    /** Tally's answer as XML; an HTTP status other than 2xx throws, retried (408, 429, 5xx) or not. */
    private static Document parse(Message message) {
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = message.getBody(String.class);
        message.setBody(body); // read once: a streamed answer is kept for what reads it after
        if (status < 200 || status >= 300) {
            String reason = "Tally answered " + status + RestTarget.redirect(status, message) + ": "
                    + RestTarget.excerpt(body);
            if (status == 408 || status == 429 || status >= 500) {
                throw new TransientDeliveryException(reason, null);
            }
            throw new PermanentDeliveryException(reason);
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(body == null ? "" : body)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new TransientDeliveryException("Tally's answer is not XML: " + RestTarget.excerpt(body), null);
        }
    }

    private static List<String> texts(Document document, String tag) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = document.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent().trim());
        }
        return texts;
    }

    private static int count(Document document, String tag) {
        int total = 0;
        for (String text : texts(document, tag)) {
            total += text.matches("\\d{1,9}") ? Integer.parseInt(text) : 0;
        }
        return total;
    }
}
