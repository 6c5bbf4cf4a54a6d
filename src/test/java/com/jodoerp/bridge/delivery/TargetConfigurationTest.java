package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.jodoerp.bridge.support.BridgeInstance;
import org.assertj.core.util.Throwables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A wrong target setting stops start-up with a message that names it. */
@ExtendWith(OutputCaptureExtension.class)
class TargetConfigurationTest {

    @TempDir
    Path dataDir;

    @Test
    void anUnknownTransportIsNamed() {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "carrier-pigeon",
                "bridge.targets.erp.families", "flex")).close())
                .hasStackTraceContaining("bridge.targets.erp.transport")
                .hasStackTraceContaining("carrier-pigeon");
    }

    @Test
    void aTargetsThreadsOutOfRangeAreNamed() {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "file",
                "bridge.targets.erp.families", "flex",
                "bridge.targets.erp.threads", "0")).close())
                .hasStackTraceContaining("bridge.targets.erp.threads must be between 1 and 256, got 0");
    }

    @Test
    void aTypoInAnOptionStopsStartUpNamingItAndTheNearestOption() {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "rest",
                "bridge.targets.erp.families", "flex",
                "bridge.targets.erp.options.url", "http://127.0.0.1:9",
                "bridge.targets.erp.options.read-timout", "45s")).close())
                .hasStackTraceContaining("bridge.targets.erp.options.read-timout")
                .hasStackTraceContaining("did you mean read-timeout?");
    }

    /**
     * A switch that is neither true nor false; a socket timeout PostgreSQL's driver would round to none; no writer
     * (Hikari's own refusal named a pool setting the school never wrote).
     */
    @ParameterizedTest
    @CsvSource({"batch-statements, sometimes", "socket-timeout, 500ms", "max-connections, 0"})
    void aDatabaseOptionOutOfItsRangeIsNamed(String option, String value) {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "jdbc",
                "bridge.targets.erp.families", "flex",
                "bridge.targets.erp.options.url", "jdbc:h2:mem:erp",
                "bridge.targets.erp.options.statements", "routes/examples/jdbc/postgresql",
                "bridge.targets.erp.options." + option, value)).close())
                .hasStackTraceContaining("bridge.targets.erp.options." + option)
                .hasStackTraceContaining(value);
    }

    @Test
    void aDatabaseUrlNoDriverTakesIsNamedWithoutItsLogin() {
        // MariaDB's driver takes jdbc:mysql: only when told to: every delivery would have failed for 48 hours.
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "jdbc",
                "bridge.targets.erp.families", "flex",
                "bridge.targets.erp.options.url", "jdbc:mysql://bridge:s3cret@127.0.0.1:3306/erp?password=s3cret",
                "bridge.targets.erp.options.statements", "routes/examples/jdbc/mysql")).close())
                .hasStackTraceContaining("bridge.targets.erp.options.url: no JDBC driver in the bridge takes"
                        + " 'jdbc:mysql://127.0.0.1:3306/erp': it has MariaDB's (jdbc:mariadb://host:3306/erp, for MySQL"
                        + " too)")
                .satisfies(refusal -> assertThat(Throwables.getStackTrace(refusal)).doesNotContain("s3cret"));
    }

    @Test
    void aStatementNamingAParameterNoRecordHasIsNamedWithTheNearest(CapturedOutput output) throws Exception {
        // camel-sql looks parameters up per record: a misspelt one failed every payment for the whole retry budget.
        Path statements = Files.createDirectories(dataDir.resolve("statements"));
        try (Stream<Path> examples = Files.list(Path.of("routes/examples/jdbc/mysql"))) {
            for (Path example : examples.toList()) {
                Files.copy(example, statements.resolve(example.getFileName().toString()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path payment = statements.resolve("payment.sql");
        Files.writeString(payment, Files.readString(payment).replace(":#payment_id,", ":#payment_idd,"));
        Map<String, String> target = Map.of("bridge.targets.erp.transport", "jdbc",
                "bridge.targets.erp.families", "direct", "bridge.targets.erp.options.url", "jdbc:h2:mem:erp",
                "bridge.targets.erp.options.statements", statements.toString());
        assertThatThrownBy(() -> BridgeInstance.start(dataDir.resolve("data"), target).close())
                .hasStackTraceContaining("bridge.targets.erp.options.statements: " + payment + " names"
                        + " :#payment_idd, which no record has; did you mean :#payment_id?");

        // A name like no field may be a header the integrator's route sets: the bridge starts, and says so.
        Files.writeString(payment, Files.readString(payment).replace(":#payment_idd,", ":#school_code,"));
        BridgeInstance.start(dataDir.resolve("data"), target).close();
        assertThat(output.getOut()).contains("Target erp: " + payment + " names :#school_code, which no record has:"
                + " unless the route sets a header or variable of that name, every delivery that runs it will fail");
        assertThat(output.getOut()).contains("Target erp receives families [direct], delivered by jdbc-target");
    }

    /** The start-up line naming what each target receives reads as words, not as two bare lists. */
    @Test
    void whatATargetReceivesIsSaidInWords() {
        assertThat(new TargetsProperties.Target(null, "file", List.of("*"), null, null, null).receives())
                .isEqualTo("every family");
        assertThat(new TargetsProperties.Target(null, "rest", List.of("flex", "direct"),
                List.of("pay.payment.settled"), null, null).receives())
                .isEqualTo("families [flex, direct] and events [pay.payment.settled]");
        assertThat(new TargetsProperties.Target(null, "rest", null, List.of("pay.payment.settled"), null, null)
                .receives()).isEqualTo("events [pay.payment.settled]");
    }

    @Test
    void aMissingTemplateParameterIsNamed() {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "file",
                "bridge.targets.erp.families", "flex")).close())
                .hasStackTraceContaining("bridge.targets.erp.options")
                .hasStackTraceContaining("directory");
    }

    @Test
    void aReconciliationPageSizeThatIsNoCountIsNamed() {
        assertThatThrownBy(() -> BridgeInstance.start(dataDir, Map.of(
                "bridge.targets.erp.transport", "erpnext",
                "bridge.targets.erp.families", "direct",
                "bridge.targets.erp.options.url", "http://127.0.0.1:9",
                "bridge.targets.erp.options.api-key", UUID.randomUUID().toString(),
                "bridge.targets.erp.options.api-secret", UUID.randomUUID().toString(),
                "bridge.targets.erp.options.mapping", "config/erpnext.yaml",
                "bridge.targets.erp.options.reconciliation-page-size", "all")).close())
                .hasStackTraceContaining("bridge.targets.erp.options.reconciliation-page-size")
                .hasStackTraceContaining("'all'");
    }

    /**
     * A key of the books' mapping misspelt (an accountant's edit of config/erpnext.yaml or config/tally.yaml) would be
     * read as absent: every fee booked to the receivable account, no mode of payment. It stops start-up instead.
     */
    @ParameterizedTest
    @CsvSource({"erpnext, config/erpnext.yaml, fee-head-accounts, fee-head-acounts",
            "erpnext, config/erpnext.yaml, modes-of-payment, modes-of-paymnet",
            "tally, config/tally.yaml, fee-head-ledgers, fee_head_ledgers"})
    void aMisspeltKeyOfTheBooksMappingIsNamedWithTheNearestOne(String transport, String shipped, String key,
                                                                String misspelt) throws Exception {
        String text = Files.readString(Path.of(shipped));
        assertThat(text).contains("\n" + key + ":");
        assertThatThrownBy(() -> startWithMapping(transport, text.replace("\n" + key + ":", "\n" + misspelt + ":")))
                .hasStackTraceContaining("bridge.targets.erp.options.mapping (" + dataDir.resolve("mapping.yaml")
                        + "): '" + misspelt + "' is not a key it reads; did you mean " + key + "?");
    }

    /**
     * What an accountant's edit of the mapping can leave that YAML reads without a word: a key given twice (the last
     * would win), a table line without its account, a list where a name goes. Each stops start-up naming the key; and
     * a value is read as written, never as one of YAML's numbers (0457 is not 303).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "erpnext | config/erpnext.yaml | company: Sunrise Public School | company: Sunrise Public School\\ncompany: "
                    + "Sunrise Junior School | found duplicate key company",
            "erpnext | config/erpnext.yaml | '  cash: Cash - SPS' | '  cash:' | deposit-accounts: the line for 'cash'"
                    + " must give a text",
            "tally | config/tally.yaml | company: Sunrise Public School | company: [Sunrise Public School, Sunrise Junior"
                    + " School] | company must be a text or a table of name: value lines, not a list",
            "erpnext | config/erpnext.yaml | party-field: identifier | party-field: 0457 | party-field must be identifier"
                    + " or custom_identifier, got '0457'"})
    void aMappingValueNobodyChoseStopsStartUpNamingItsKey(String transport, String shipped, String line,
                                                          String edited, String said) throws Exception {
        String text = Files.readString(Path.of(shipped));
        assertThat(text).contains(line);
        assertThatThrownBy(() -> startWithMapping(transport, text.replace(line, edited.replace("\\n", "\n"))))
                .hasStackTraceContaining("bridge.targets.erp.options.mapping").hasStackTraceContaining(said);
    }

    /** Starts a bridge whose one target, of {@code transport}, reads {@code mapping} as its books' mapping. */
    private void startWithMapping(String transport, String mapping) throws Exception {
        Path file = dataDir.resolve("mapping.yaml");
        Files.writeString(file, mapping);
        Map<String, String> target = new HashMap<>(Map.of("bridge.targets.erp.transport", transport,
                "bridge.targets.erp.families", "direct", "bridge.targets.erp.options.url", "http://127.0.0.1:9",
                "bridge.targets.erp.options.mapping", file.toString()));
        if (transport.equals("erpnext")) {
            target.put("bridge.targets.erp.options.api-key", UUID.randomUUID().toString());
            target.put("bridge.targets.erp.options.api-secret", UUID.randomUUID().toString());
        }
        BridgeInstance.start(dataDir.resolve("data"), target).close();
    }
}
