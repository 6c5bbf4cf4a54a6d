package com.jodoerp.bridge.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
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

    public static final String ENDPOINT = "jodoSftpEndpoint";
    private static final Logger log = LoggerFactory.getLogger(SftpTarget.class);

    private record Settings(String endpoint, RecordFiles files) {
    }

    private final Map<String, Settings> settings = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "sftp";
    }

    @Override
    public void prepare(String target, Map<String, String> options, CamelContext camelContext) {
        String at = "bridge.targets." + target + ".options.";
        String host = Transport.required(target, options, "host");
        String port = options.getOrDefault("port", "22").trim();
        if (!port.matches("\\d{1,5}")) {
            throw new IllegalArgumentException(at + "port: expected a port number, got '" + port + "'");
        }
        String directory = options.getOrDefault("directory", "").trim().replaceAll("^/+", "");
        String username = Transport.required(target, options, "username");
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
        StringBuilder endpoint = new StringBuilder("sftp://").append(host).append(':').append(port).append('/')
                .append(directory)
                .append("?username=").append(raw(username))
                .append("&strictHostKeyChecking=").append(checking)
                .append("&useUserKnownHostsFile=false")
                .append("&autoCreate=true&fileExist=Override&eagerDeleteTargetFile=false")
                .append("&tempFileName=.${file:onlyname}.tmp")
                // One connection attempt per delivery: retries belong to the delivery's own schedule.
                .append("&maximumReconnectAttempts=0")
                .append("&connectTimeout=").append(10_000)
                .append("&timeout=").append(30_000);
        if (checking.equals("yes")) {
            endpoint.append("&knownHostsFile=").append(raw(knownHosts));
        }
        if (!password.isEmpty()) {
            endpoint.append("&password=").append(raw(password));
        }
        if (!privateKey.isEmpty()) {
            endpoint.append("&privateKeyFile=").append(raw(privateKey));
            String passphrase = options.getOrDefault("private-key-passphrase", "");
            if (!passphrase.isEmpty()) {
                endpoint.append("&privateKeyPassphrase=").append(raw(passphrase));
            }
        }
        settings.put(target, new Settings(endpoint.toString(), RecordFiles.of(target, options)));
    }

    /** Sets the file's content and name, and where the template's {@code toD} uploads it. */
    public void file(Exchange exchange) {
        Settings target = settings.get(exchange.getProperty(Flow.TARGET, String.class));
        Message message = exchange.getMessage();
        Map<?, ?> record = message.getBody(Map.class);
        message.removeHeaders("*");
        message.setHeader(Exchange.FILE_NAME, target.files().path(record));
        message.setBody(target.files().content(record));
        exchange.setProperty(ENDPOINT, target.endpoint());
    }

    private static String raw(String value) {
        return "RAW(" + value + ")";
    }
}
