package com.jodoerp.bridge.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.RealDatabases;
import com.jodoerp.bridge.support.Samples;
import com.jodoerp.bridge.support.ShippedRoutes;
import com.jodoerp.bridge.webhook.WebhookProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What the operator reads on the console when a setting or a route stops start-up: Spring Boot's report of what is
 * wrong and what to do, led by the setting or the file, and no stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupRefusalsTest {

    @TempDir
    Path work;

    @Test
    void aBadSettingIsReportedByItsName(CapturedOutput output) {
        startRefused(Map.of("bridge.targets.outbox.families", "fees"));

        assertReport(output, "bridge.targets.outbox.families[0]: unknown family 'fees' (known: cred, direct, flex,"
                + " masterdata, pay, or \"*\" for all)", "Correct bridge.targets.outbox.families[0] in"
                + " config/application.yaml, or the environment variable that sets it, and start the bridge again.");
    }

    @Test
    void aBadSettingReadBeforeTheBridgeStartsIsReportedByItsName(CapturedOutput output) {
        startRefused(Map.of("bridge.routes-dir", work.resolve("nowhere").toString()));

        assertReport(output, "bridge.routes-dir (BRIDGE_ROUTES_DIR): no routes folder at " + work.resolve("nowhere"),
                "Correct bridge.routes-dir in config/application.yaml");
    }

    @Test
    void aRouteThatCannotBeBuiltIsReportedByItsFile(CapturedOutput output) throws Exception {
        Path routes = ShippedRoutes.with(work.resolve("routes"), "school-fees.camel.yaml", """
                - route:
                    id: school-fees
                    from:
                      uri: timer:school-fees?repeatCount=1
                      steps:
                        - to: no-such-component:erp
                """);

        startRefused(Map.of("bridge.routes-dir", routes.toString()));

        assertReport(output, "Failed to create route: school-fees (source: file:" + routes.resolve(
                "school-fees.camel.yaml") + ") at: >>> to[no-such-component:erp] <<<", "Correct the route in the file"
                + " named above (the routes folder: routes/ beside the jar, or bridge.routes-dir)");
        // The routes are built after the intake has started: a refused start stops it again, and leaves no journal
        // behind (nor a thread that went on starting one a second).
        try (Stream<Path> journals = Files.list(work.resolve("data").resolve("intake-journal"))) {
            assertThat(journals.map(Path::getFileName).map(Path::toString))
                    .noneMatch(name -> name.endsWith(".journal"));
        }
    }

    /** Camel went on without a file whose top level is not a list: a route written without its dash did nothing. */
    @Test
    void aRoutesFileThatIsNoListIsReportedByItsFile(CapturedOutput output) throws Exception {
        Path routes = ShippedRoutes.with(work.resolve("routes"), "school-fees.camel.yaml", """
                route:
                  id: school-fees
                  from:
                    uri: timer:school-fees?repeatCount=1
                """);

        startRefused(Map.of("bridge.routes-dir", routes.toString()));

        assertReport(output, "Nothing was read in file:" + routes.resolve("school-fees.camel.yaml") + ": its top level"
                + " is a mapping, not a list; each route is an item of a list, starting with '- route:'",
                "Correct the route in the file named above");
    }

    /** Camel refused these with a stack trace. */
    @ParameterizedTest
    @ValueSource(strings = {"", "# - route:\n#     id: school-fees\n"})
    void aRoutesFileWithNothingInItIsReportedByItsFile(String content, CapturedOutput output) throws Exception {
        Path routes = ShippedRoutes.with(work.resolve("routes"), "school-fees.camel.yaml", content);

        startRefused(Map.of("bridge.routes-dir", routes.toString()));

        assertReport(output, "The routes file file:" + routes.resolve("school-fees.camel.yaml") + " holds nothing but"
                + " comments or blank lines.", "Remove it, or write its routes, and start the bridge again.");
    }

    @Test
    void aTargetsTemplateThatCannotBeBuiltIsReportedWithItsOptionsAndItsFile(CapturedOutput output) throws Exception {
        String broken = Files.readString(Path.of("routes/file-target.camel.yaml")).replace("uri: \"direct:deliver-to-"
                + "{{target}}\"", "uri: \"direct:deliver-to-{{target}}?no-such-option={{directory}}\"");
        Path routes = ShippedRoutes.with(work.resolve("routes"), "file-target.camel.yaml", broken);

        startRefused(Map.of("bridge.routes-dir", routes.toString()));

        assertReport(output, "bridge.targets.outbox.options: route template 'file-target' (file:"
                + routes.resolve("file-target.camel.yaml") + ") cannot be built with them: ", "Correct"
                + " bridge.targets.outbox.options in config/application.yaml, or the environment variable that sets it,"
                + " or the route template in the file named above, and start the bridge again.");
    }

    @Test
    void aWebhookPathOverTheOperatorsPagesIsRefused(CapturedOutput output) {
        // The webhook path bypasses the operator login: at /admin, the admin API answered anyone.
        startRefused(Map.of("bridge.webhook.path", "/admin"));

        assertReport(output, "bridge.webhook.path: '/admin' overlaps the bridge's own pages (/admin, /ops, /actuator,"
                + " /login, /login.css, /login.js, /logout, /error, and /), which the operator login protects; webhooks"
                + " need a path of their own, such as /webhooks/jodo", "Correct bridge.webhook.path in"
                + " config/application.yaml");
    }

    @Test
    void aValueThatCannotBeReadKeepsSpringsReportOfWhereItWasSet(CapturedOutput output) {
        startRefused(Map.of("bridge.school.time-zone", "Mars/Phobos"));

        assertThat(output.getOut()).contains("Failed to bind properties under 'bridge.school'")
                .contains("bridge.school.time-zone: 'Mars/Phobos' is not a time zone");
    }

    @Test
    void aSettingTheBridgeDoesNotHaveIsNamedWithTheNearestItHas(CapturedOutput output) {
        // Spring ignores what nothing binds: this kept delivered events 90 days, not 30, and said nothing.
        startRefused(Map.of("bridge.retention.deliverd", "30d"));

        assertReport(output, "bridge.retention.deliverd: no such setting: bridge.retention has no setting 'deliverd';"
                + " did you mean bridge.retention.delivered? (set in the command line)", "Correct"
                + " bridge.retention.deliverd in config/application.yaml");
    }

    @Test
    void aTargetSettingTheBridgeDoesNotHaveIsNamed(CapturedOutput output) {
        // Ignored, the outbox went on receiving every family.
        startRefused(Map.of("bridge.targets.outbox.famlies[0]", "pay"));

        assertReport(output, "bridge.targets.outbox.famlies[0]: no such setting: a target has no setting 'famlies';"
                + " did you mean families?", "Correct bridge.targets.outbox.famlies[0]");
    }

    @Test
    void aTargetNameSpringWouldChangeIsRefusedAsWritten(CapturedOutput output) {
        // Spring drops '/' from a map key: this started a target named "erpdb".
        startRefused(Map.of("bridge.targets.erp/db.transport", "file"));

        assertReport(output, "bridge.targets.erp/db.transport: a target name is lower-case letters, digits and '-'"
                + " (at most 63), got 'erp/db' (set in the command line)", "Correct bridge.targets.erp/db.transport");
    }

    @Test
    void aGroupTheBridgeDoesNotHaveIsNamed(CapturedOutput output) {
        startRefused(Map.of("bridge.targts.erp.transport", "jdbc"));

        assertReport(output, "bridge.targts.erp.transport: no such setting: bridge has no setting 'targts'; did you"
                + " mean bridge.targets?", "Correct bridge.targts.erp.transport");
    }

    @Test
    void aMisspeltGroupInTheSettingsFileIsNamedWithItsLine(CapturedOutput output) throws IOException {
        // Spring ignored the whole misspelt group: the school's time zone and targets fell back to the defaults.
        Path file = Files.writeString(work.resolve("application.yaml"), "brigde:\n  school:\n    time-zone: UTC\n");
        startRefused(Map.of("spring.config.location", "classpath:/application.yaml,file:" + file));

        assertReport(output, "brigde.school.time-zone: no such setting: there is no group 'brigde'; did you mean"
                + " bridge? (set in " + file + ", line 3)", "Correct brigde.school.time-zone");
    }

    @Test
    void aSettingsFileWhoseTopIsAListIsRefused(CapturedOutput output) throws IOException {
        // Read as no settings at all, the bridge started on its defaults without a word.
        Path file = Files.writeString(work.resolve("application.yaml"),
                "- bridge:\n    school:\n      time-zone: UTC\n");
        startRefused(Map.of("spring.config.location", "classpath:/application.yaml,file:" + file));

        assertReport(output, "document[0].bridge.school.time-zone: no such setting: the file holds a list or a text"
                + " where settings belong; settings are written 'name: value' (bridge:, spring:, server:), not '- item'"
                + " (set in " + file + ", line 3)", "Correct document[0].bridge.school.time-zone");
    }

    @Test
    void aMisspeltGroupOnTheCommandLineIsNamed(CapturedOutput output) {
        startRefused(Map.of("sever.port", "8081"));

        assertReport(output, "sever.port: no such setting: there is no group 'sever'; did you mean server? (set in"
                + " the command line)", "Correct sever.port");
    }

    @Test
    void settingsTheBridgeHasAreTakenInEveryFormSpringReads() {
        // camelCase and snake_case as relaxed binding reads them, list items, a target's fields and its options.
        try (BridgeInstance bridge = BridgeInstance.start(work.resolve("data"), Map.of(
                "bridge.webhook.allowedIps[0]", "127.0.0.1", "bridge.webhook.trusted_proxies[0]", "10.0.0.0/8",
                "bridge.delivery.retry.max-age", "2h", "bridge.targets.outbox.families[0]", "pay",
                "bridge.targets.outbox.options.format", "csv", "bridge.targets[outbox].enabled", "true"))) {
            assertThat(bridge.bean(WebhookProperties.class).allowedIps())
                    .containsExactly("127.0.0.1");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // No server needs to answer: the URL says it is MariaDB, an ERP target's database, not a store.
        "jdbc:mariadb://bridge:{password}@127.0.0.1:1/bridge?password={password} | jdbc:mariadb://127.0.0.1:1/bridge",
        // No JDBC URL at all: the form a hosting provider's console gives, with the password in it.
        "postgres://bridge:{password}@127.0.0.1:1/bridge | postgres://127.0.0.1:1/bridge"})
    void aStoreTheBridgeCannotKeepItsStateInIsNamed(String url, String shown, CapturedOutput output) {
        // Made for the run, so that finding it in the log can only mean the URL was logged whole.
        String password = UUID.randomUUID().toString();
        startRefused(Map.of("spring.datasource.url", url.replace("{password}", password)));

        assertReport(output, "spring.datasource.url (BRIDGE_DB_URL): '" + shown + "' is not a database the bridge can"
                + " keep its own state in: it takes PostgreSQL", "Correct BRIDGE_DB_URL");
        assertThat(logged(output)).doesNotContain(password);
    }

    @Test
    void anUnreachableStoreIsReportedWithWhereItWasLookedFor(CapturedOutput output) {
        startRefused(Map.of("spring.datasource.url", "jdbc:postgresql://127.0.0.1:1/bridge"));

        assertReport(output, "The bridge's own database at jdbc:postgresql://127.0.0.1:1/bridge could not be reached:"
                + " Connection to 127.0.0.1:1 refused.", "Start the database, or correct spring.datasource.url"
                + " (BRIDGE_DB_URL), and start the bridge again.");
    }

    @Test
    void aStoreDatabaseThatDoesNotExistIsReported(CapturedOutput output) {
        RealDatabases.postgresAdmin("SELECT 1");
        String url = RealDatabases.postgresUrl("no_such_bridge_store");

        startRefused(Map.of("spring.datasource.url", url, "spring.datasource.username", RealDatabases.POSTGRES_USER));

        assertReport(output, "The bridge's own database at " + url + " does not exist: FATAL: database"
                + " \"no_such_bridge_store\" does not exist", "Create it (CREATE DATABASE");
    }

    @Test
    void aStoreLoginRefusedIsReported(CapturedOutput output) {
        RealDatabases.postgresAdmin("SELECT 1");
        String url = RealDatabases.postgresUrl("test");

        startRefused(Map.of("spring.datasource.url", url, "spring.datasource.username", "no_such_bridge_user"));

        assertReport(output, "The bridge's own database at " + url + " refused the bridge's login: FATAL: role"
                + " \"no_such_bridge_user\" does not exist", "Correct BRIDGE_DB_USER and BRIDGE_DB_PASSWORD");
    }

    @Test
    void aDataFolderInUseByAnotherProcessIsReported(CapturedOutput output) throws Exception {
        // What another process holding the embedded store does to H2's open: the file is locked.
        Path store = Files.createDirectories(work.resolve("data")).resolve("bridge.mv.db");
        try (FileChannel file = FileChannel.open(store, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = file.lock()) {
            startRefused(Map.of());
        }

        assertReport(output, "The embedded store jdbc:h2:file:" + work.resolve("data").resolve("bridge") + " is open"
                + " in another process", "Stop the other bridge, or give this one a data folder of its own"
                + " (bridge.data-dir, BRIDGE_DATA_DIR)");
    }

    @Test
    void aDamagedStoreFileIsReportedWithWhereItsJournalIs(CapturedOutput output) throws Exception {
        // What H2 finds when no complete version of its file is left: neither header nor chunk can be read.
        Path data = Files.createDirectories(work.resolve("data"));
        Files.write(data.resolve("bridge.mv.db"), "not a store ".repeat(1_000).getBytes(StandardCharsets.US_ASCII));

        startRefused(Map.of());

        assertReport(output, "The embedded store jdbc:h2:file:" + data.resolve("bridge") + " cannot be opened: its"
                + " file is damaged", "Restore " + data.resolve("bridge.mv.db") + " from a backup, or move it aside");
        assertThat(logged(output)).contains("kept in the intake journal (" + data.resolve("intake-journal") + ")");
    }

    @Test
    void aDataFolderTheStoresUrlCannotHoldIsNamed(CapturedOutput output) {
        // H2 took "data;x" for a folder "data" and a setting "x", and answered with its URL grammar in a stack trace.
        Path data = work.resolve("data;x");
        assertThatThrownBy(() -> BridgeInstance.start(data, Map.of()).close()).isInstanceOf(RuntimeException.class);

        assertReport(output, "bridge.data-dir (BRIDGE_DATA_DIR): the data folder " + data + " has a ';' in its path,"
                + " which the embedded store's URL reads as the start of its settings: choose a folder without one",
                "Correct bridge.data-dir");
    }

    @Test
    void aSecretFileThatCannotBeReadIsReportedByItsVariable(CapturedOutput output) {
        Path missing = work.resolve("no-such-secret");
        startRefused(Map.of("BRIDGE_DB_PASSWORD_FILE", missing.toString()));

        assertReport(output, "BRIDGE_DB_PASSWORD_FILE: cannot read " + missing + " (NoSuchFileException)",
                "Correct the environment variable BRIDGE_DB_PASSWORD_FILE (or the file it names) and start the"
                        + " bridge again.");
    }

    @Test
    void aPortPastTheLastIsReportedAsTheSetting(CapturedOutput output) {
        startRefused(Map.of("server.port", "99999"));

        assertReport(output, "server.port: 99999 is not a port (1 to 65535, or 0 for any free one)",
                "Correct server.port in config/application.yaml, or the environment variable SERVER_PORT, and start"
                        + " the bridge again.");
    }

    @Test
    void aReconciliationFolderThatCannotBeMadeIsReportedAtStartNotAtTheFirstReport(CapturedOutput output)
            throws Exception {
        Path folder = Files.writeString(work.resolve("a-file"), "not a folder").resolve("reconciliation");
        startRefused(Map.of("bridge.reconciliation.folder", folder.toString()));

        assertReport(output, "bridge.reconciliation.folder: cannot create the folder " + folder + " (",
                "Correct bridge.reconciliation.folder in config/application.yaml");
    }

    /** Spring Boot would start without a web server: the bridge would run taking no webhook at all. */
    @Test
    void aPortBelowZeroIsReportedAsTheSetting(CapturedOutput output) {
        startRefused(Map.of("server.port", "-1"));

        assertReport(output, "server.port: -1 is not a port (1 to 65535, or 0 for any free one); below 0 turns the"
                + " web server off, and with it the webhook path", "Correct server.port in config/application.yaml, or"
                + " the environment variable that sets it, and start the bridge again.");
    }

    private void startRefused(Map<String, String> settings) {
        assertThatThrownBy(() -> BridgeInstance.start(work.resolve("data"), settings).close())
                .isInstanceOf(RuntimeException.class);
    }

    private static void assertReport(CapturedOutput output, String description, String action) {
        assertThat(logged(output)).contains("APPLICATION FAILED TO START")
                .contains("Description:\n\n" + description)
                .contains("Action:\n\n" + action)
                .doesNotContain("Application run failed")
                .doesNotContain("\tat org.springframework");
    }

    /** What was logged, as text, whether the log is plain or JSON (an earlier test in this JVM may have set it so). */
    private static String logged(CapturedOutput output) {
        return output.getOut().lines().map(line -> line.startsWith("{") ? message(Samples.tree(line)) : line)
                .collect(Collectors.joining("\n"));
    }

    private static String message(JsonNode line) {
        return line.path("message").asText() + "\n" + line.path("stack_trace").asText();
    }
}
