package com.jodoerp.bridge.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.jodoerp.bridge.flow.Flow;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The SFTP transport: each canonical record becomes one file on the school's SFTP server (JSON or CSV,
 * path from the target's layout), uploaded under a temporary name and then renamed. The server's host key
 * is checked against a known_hosts file unless the target says otherwise; password or private-key login.
 */
@Component("sftpTarget")
public class SftpTarget implements Transport {

    private static final Logger log = LoggerFactory.getLogger(SftpTarget.class);

    /** A target's files, and its absolute folder ("/srv/erp/incoming/"), or "" for one under the login's home. */
    private record Drop(RecordFiles files, String absoluteFolder) {
    }

    private final Map<String, Drop> drops = new ConcurrentHashMap<>();
    private final Receipts receipts;

    public SftpTarget(Receipts receipts) {
        this.receipts = receipts;
    }

    @Override
    public String name() {
        return "sftp";
    }

    @Override
    public Map<String, String> prepare(String target, Map<String, String> options, CamelContext camelContext) {
        String at = "bridge.targets." + target + ".options.";
        Map<String, String> parameters = new HashMap<>(options);
        // The host and folder go into the endpoint's address. Camel finds no host in one with a space, a '_' or an
        // IPv6 address ("host must be specified", at every delivery); a '?' or '#' would end the folder's name.
        String host = Transport.required(target, options, "host");
        if (!host.matches("[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException(at + "host: expected a host name or IPv4 address of letters, digits,"
                    + " '-' and '.' (such as sftp.school.in or 10.0.0.7), got '" + host + "'");
        }
        String directory = options.getOrDefault("directory", "").trim();
        if (directory.contains("?") || directory.contains("#")) {
            throw new IllegalArgumentException(at + "directory: a folder name here cannot hold '?' or '#', got '"
                    + directory + "'");
        }
        Transport.required(target, options, "username");
        String port = options.getOrDefault("port", "22").trim();
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
            throw new IllegalArgumentException(at + "port: expected a port number from 1 to 65535, got '" + port + "'");
        }
        String password = options.getOrDefault("password", "");
        String privateKey = options.getOrDefault("private-key-file", "").trim();
        if (password.isEmpty() && privateKey.isEmpty()) {
            throw new IllegalArgumentException(at + "password or " + at + "private-key-file must be set");
        }
        if (!privateKey.isEmpty() && !Files.isReadable(Path.of(privateKey))) {
            throw new IllegalArgumentException(at + "private-key-file: cannot read " + privateKey);
        }
        String checking = options.getOrDefault("strict-host-key-checking", "yes").trim().toLowerCase(Locale.ROOT);
        if (!checking.equals("yes") && !checking.equals("no")) {
            throw new IllegalArgumentException(at + "strict-host-key-checking: expected yes or no, got '" + checking + "'");
        }
        String knownHosts = options.getOrDefault("known-hosts-file",
                Path.of(System.getProperty("user.home"), ".ssh", "known_hosts").toString()).trim();
        if (checking.equals("yes") && !Files.isReadable(Path.of(knownHosts))) {
            throw new IllegalArgumentException(at + "known-hosts-file: cannot read " + knownHosts
                    + " (the server's host key is checked against it; add the key with ssh-keyscan)");
        }
        if (checking.equals("no")) {
            log.warn("Target {} does not check the SFTP server's host key ({}strict-host-key-checking: no)", target, at);
        }
        // Camel's endpoint takes a folder under the login's home only: it drops a leading '/', so "/srv/erp/incoming"
        // became ~/srv/erp/incoming, made there without a word. An absolute folder goes before each file's name
        // instead, with no folder in the endpoint, where Camel keeps an absolute name as it is.
        boolean absolute = directory.startsWith("/");
        drops.put(target, new Drop(RecordFiles.of(target, options, receipts),
                absolute ? directory.replaceAll("/+$", "") + "/" : ""));
        parameters.put("port", port);
        parameters.put("directory", absolute ? "" : directory);
        parameters.put("strict-host-key-checking", checking);
        parameters.put("known-hosts-file", checking.equals("yes") ? knownHosts : "");
        parameters.put("private-key-file", privateKey);
        return parameters;
    }

    /** Sets the file's content and its name (under the folder); no body when it makes no file. */
    public void file(Exchange exchange) {
        Drop drop = drops.get(exchange.getProperty(Flow.TARGET, String.class));
        Message message = exchange.getMessage();
        Map<?, ?> record = message.getBody(Map.class);
        message.removeHeaders("*");
        message.setHeader(Exchange.FILE_NAME, drop.absoluteFolder() + drop.files().path(record));
        message.setBody(drop.files().content(record));
    }
}
