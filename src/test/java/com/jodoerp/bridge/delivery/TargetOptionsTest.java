package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jodoerp.bridge.flow.SchoolProperties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target's settings checked as start-up checks them, without starting the bridge: each mistake stops start-up
 * with a message that names the setting, and good settings become the parameters the route template shows.
 */
class TargetOptionsTest {

    @TempDir
    Path folder;

    private static final SchoolProperties SCHOOL = new SchoolProperties("Asia/Kolkata");

    @Test
    void targetsAreNamedAndSentOnlyTheFamiliesAndEventsTheyAskFor() {
        TargetCatalog catalog = new TargetCatalog(new TargetsProperties(Map.of(
                "erp-db", target("jdbc", List.of("direct", "flex"), List.of()),
                "loans", target("rest", List.of(), List.of("cred.emi.debited")),
                "all", target("file", List.of("*"), List.of()))));

        assertThat(catalog.targetsFor("flex", "flex.instalment.debited")).containsExactly("all", "erp-db");
        assertThat(catalog.targetsFor("cred", "cred.emi.debited")).containsExactly("all", "loans");
        assertThat(catalog.targetsFor("cred", "cred.loan.disbursed")).containsExactly("all");
        assertThatThrownBy(() -> new TargetCatalog(new TargetsProperties(Map.of(
                "ERP", target("file", List.of("*"), List.of()))))).hasMessageContaining("bridge.targets.ERP");
        assertThatThrownBy(() -> new TargetCatalog(new TargetsProperties(Map.of(
                "erp", target("file", List.of("flex", "fees"), List.of())))))
                .hasMessage("bridge.targets.erp.families[1]: unknown family 'fees' (known: cred, direct, flex,"
                        + " masterdata, pay, or \"*\" for all)");
        // An event the catalog does not know is parked, never delivered: the target would receive nothing by it.
        assertThatThrownBy(() -> new TargetCatalog(new TargetsProperties(Map.of(
                "loans", target("rest", List.of(), List.of("cred.emi.debited", "flex.instalment.debitted"))))))
                .hasMessage("bridge.targets.loans.events[1]: unknown event 'flex.instalment.debitted'; did you mean"
                        + " flex.instalment.debited? (named as Jodo sends it, such as flex.instalment.debited)");
        assertThatThrownBy(() -> new TargetCatalog(new TargetsProperties(Map.of(
                "erp", target("", List.of("flex"), List.of()))))).hasMessageContaining("bridge.targets.erp.transport");
        assertThatThrownBy(() -> new TargetCatalog(new TargetsProperties(Map.of(
                "erp", target("file", List.of(), List.of()))))).hasMessageContaining("names no families or events");
    }

    @Test
    void restOptionsAreCheckedAndBecomeTheEndpointsParameters() throws IOException {
        Map<String, String> parameters = new RestTarget().prepare("erp", Map.of("url", "http://erp.school.in/api/",
                "read-timeout", "1m", "auth", "bearer", "token", "t0ken"), new DefaultCamelContext());
        assertThat(parameters).containsEntry("url", "http://erp.school.in/api").containsEntry("read-timeout-ms",
                "60000").containsEntry("connect-timeout-ms", "5000").containsEntry("max-connections", "20")
                .containsEntry("template", "");

        assertRefused(Map.of("url", "ftp://erp"), "bridge.targets.erp.options.url must start with http://");
        // Camel refused these only when it built the route, in a message of its internals; the secrets stay out.
        String password = UUID.randomUUID().toString();
        for (String url : List.of("http://", "https:///api", "http://erp school/api?token=" + password,
                "http://bridge:" + password + "@")) {
            assertThatThrownBy(() -> new RestTarget().prepare("erp", Map.of("url", url), new DefaultCamelContext()))
                    .as(url).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("bridge.targets.erp.options.url must start with http:// or https:// and"
                            + " name a host (such as ").hasMessageNotContaining(password);
        }
        // Camel's HTTP endpoint finds no host in these either, and failed every delivery with "Invalid url: http:/api".
        for (String url : List.of("http://erp_next:8000/api", "http://exa%20mple.com/x")) {
            assertRefused(Map.of("url", url), "bridge.targets.erp.options.url: the host in '" + url + "' is not one"
                    + " the HTTP client takes");
        }
        // The HTTP client refused the login in the address at every call, and each record became a dead letter.
        assertThatThrownBy(() -> new RestTarget().prepare("erp", Map.of("url", "https://bridge:" + password
                + "@erp.school.in/api"), new DefaultCamelContext())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bridge.targets.erp.options.url: 'https://erp.school.in/api' is given with a login before"
                        + " its host (user@host, left out here), which the HTTP client never sends: put it in the"
                        + " target's own options (auth, username, password)");
        assertRefused(Map.of("url", "http://erp", "method.flex", "DELETE"), "bridge.targets.erp.options.method.flex");
        assertRefused(Map.of("url", "http://erp", "read-timeout", "soon"), "bridge.targets.erp.options.read-timeout");
        // 0 is "no timeout" to HTTP clients: an ERP that never answers would hold each attempt for good.
        assertRefused(Map.of("url", "http://erp", "read-timeout", "0s"), "bridge.targets.erp.options.read-timeout:"
                + " must be more than 0 (0 waits without end), got '0s'");
        assertRefused(Map.of("url", "http://erp", "connect-timeout", "-5s"), "bridge.targets.erp.options"
                + ".connect-timeout: must be more than 0");
        assertRefused(Map.of("url", "http://erp", "max-connections", "0"), "bridge.targets.erp.options.max-connections");
        // Camel reads a template at the first delivery: missing or broken, it failed every delivery instead.
        assertRefused(Map.of("url", "http://erp", "template", "/nonexistent/receipt.jslt"), "bridge.targets.erp"
                + ".options.template: cannot read /nonexistent/receipt.jslt");
        Path broken = Files.writeString(folder.resolve("receipt.jslt"), "{\"receipt_id\": .payment.id,");
        assertRefused(Map.of("url", "http://erp", "template", broken.toString()), "bridge.targets.erp.options.template: "
                + broken + " is not valid JSLT: ");
        assertThat(new RestTarget().prepare("erp", Map.of("url", "http://erp", "template",
                "routes/examples/rest/receipt.jslt"), new DefaultCamelContext())).containsEntry("template",
                "file:routes/examples/rest/receipt.jslt");
        assertRefused(Map.of("url", "http://erp", "auth", "kerberos"), "bridge.targets.erp.options.auth");
        assertRefused(Map.of("url", "http://erp", "expect", "xml"), "bridge.targets.erp.options.expect: expected"
                + " no-html, json or any, got 'xml'");
        assertRefused(Map.of("url", "http://erp", "auth", "basic"), "bridge.targets.erp.options.username is missing");
        assertRefused(Map.of("url", "http://erp", "trust-store", "/etc/erp.p12"),
                "bridge.targets.erp.options.trust-store is for https:// URLs");
    }

    private static Map<String, String> sftp(Map<String, String> options) {
        return new SftpTarget(new Receipts(SCHOOL, new NoPaymentsSeen())).prepare("drop", options,
                new DefaultCamelContext());
    }

    @Test
    void sftpOptionsAreCheckedAndBecomeTheEndpointsParameters() {
        Map<String, String> options = new HashMap<>(Map.of("host", "sftp.school.in", "username", "bridge",
                "password", "pw", "directory", "incoming/", "strict-host-key-checking", "no"));
        Map<String, String> parameters = sftp(options);
        assertThat(parameters).containsEntry("port", "22").containsEntry("directory", "incoming/")
                .containsEntry("known-hosts-file", "").containsEntry("strict-host-key-checking", "no");
        // From the server's root: no folder in the endpoint, which would take it as under the home folder; each
        // file's name begins with it instead (SftpTargetTest).
        options.put("directory", "/incoming/");
        assertThat(sftp(options)).containsEntry("directory", "");
        options.put("directory", "incoming/");

        options.remove("password");
        assertThatThrownBy(() -> sftp(options))
                .hasMessageContaining("bridge.targets.drop.options.password or");
        options.put("password", "pw");
        for (String port : new String[] {"ssh", "0", "70000"}) {
            options.put("port", port);
            assertThatThrownBy(() -> sftp(options))
                    .hasMessage("bridge.targets.drop.options.port: expected a port number from 1 to 65535, got '"
                            + port + "'");
        }
        options.put("port", "22");
        // Camel's SFTP endpoint finds no host in any of these, and failed every delivery: "host must be specified".
        for (String host : new String[] {"exa mple.school.in", "sftp.school.in/incoming", "u@sftp", "erp_sftp",
            "[::1]"}) {
            options.put("host", host);
            assertThatThrownBy(() -> sftp(options)).hasMessage("bridge.targets.drop.options.host: expected a host"
                    + " name or IPv4 address of letters, digits, '-' and '.' (such as sftp.school.in or 10.0.0.7),"
                    + " got '" + host + "'");
        }
        for (String host : new String[] {"10.0.0.7", "sftp-1.school.in"}) {
            options.put("host", host);
            assertThat(sftp(options)).as(host).containsEntry("host", host);
        }
        options.put("directory", "incoming?x=1");
        assertThatThrownBy(() -> sftp(options)).hasMessage("bridge.targets.drop.options.directory: a folder name here"
                + " cannot hold '?' or '#', got 'incoming?x=1'");
        options.put("directory", "/incoming/");
        options.put("strict-host-key-checking", "yes");
        options.put("known-hosts-file", "/nonexistent/known_hosts");
        assertThatThrownBy(() -> sftp(options))
                .hasMessageContaining("bridge.targets.drop.options.known-hosts-file: cannot read");
    }

    @Test
    void aFileTargetsFolderIsRefusedWhenItIsAFileAndLeftToTheFirstDeliveryWhenItDoesNotExistYet() throws IOException {
        FileTarget files = new FileTarget(new Receipts(SCHOOL, new NoPaymentsSeen()));
        Path notAFolder = Files.writeString(folder.resolve("outbox"), "");
        assertThatThrownBy(() -> files.prepare("outbox", Map.of("directory", notAFolder.toString()),
                new DefaultCamelContext())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bridge.targets.outbox.options.directory: " + notAFolder + " is a file, not a folder");
        Path mountedLater = folder.resolve("share/erp");
        assertThat(files.prepare("outbox", Map.of("directory", mountedLater.toString()), new DefaultCamelContext()))
                .containsEntry("directory", mountedLater.toString());
        assertThat(mountedLater).doesNotExist();
    }

    private static void assertRefused(Map<String, String> options, String message) {
        assertThatThrownBy(() -> new RestTarget().prepare("erp", options, new DefaultCamelContext()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    private static TargetsProperties.Target target(String transport, List<String> families, List<String> events) {
        return new TargetsProperties.Target(true, transport, families, events, Map.of(), null);
    }
}
