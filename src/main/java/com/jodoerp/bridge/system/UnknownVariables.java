package com.jodoerp.bridge.system;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * An environment variable named like the bridge's ({@code BRIDGE_*}, {@code JODO_*}) that nothing reads is named in a
 * warning at start-up, with the nearest one the bridge reads: {@code BRIDGE_ADMIN_PASWORD} left the operator login
 * unset, and {@code BRIDGE_WEBHOOK_MAX_BODY_SIZE} (Spring reads {@code BRIDGE_WEBHOOK_MAXBODYSIZE}, without the
 * dashes' underscores) kept the limit at 1 MB, and nobody was told.
 *
 * <p>A warning, not a refusal as {@link UnknownSettings} gives for files: the environment is shared with whatever
 * else runs there (Kubernetes gives every pod {@code BRIDGE_SERVICE_HOST} and {@code BRIDGE_PORT_...} for a service
 * named {@code bridge}; those are left out). A variable the bridge reads is one its settings files name as
 * {@code ${...}}, one Spring binds to a setting of the defaults file, any under {@code BRIDGE_TARGETS_} (a target's
 * name and options are the school's), or one of these with {@code _FILE} ({@link SecretFiles}). Only names are
 * logged, never a value.
 *
 * <p>Case counts for the variables the settings files name ({@code jodo_webhook_secret} is not
 * {@code JODO_WEBHOOK_SECRET}: the bridge then ran without its secret, or on the embedded store for want of
 * {@code BRIDGE_DB_URL}), while Spring binds a setting's variable in any case; so names in any case are looked at.
 */
public class UnknownVariables implements EnvironmentPostProcessor, Ordered {

    private static final Pattern OURS = Pattern.compile("(BRIDGE|JODO)_[A-Za-z0-9_]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{((?:BRIDGE|JODO)_[A-Z0-9_]+)");
    private static final Pattern KUBERNETES = Pattern.compile("BRIDGE_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?"
            + "|PORT(_\\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)?)");
    private static final String TARGETS = "BRIDGE_TARGETS_";
    private static final String FILE = "_FILE";

    private final Log log;

    public UnknownVariables(DeferredLogFactory logs) {
        this.log = logs.getLog(UnknownVariables.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        PropertySource<?> variables = environment.getPropertySources()
                .get(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        if (!(variables instanceof EnumerablePropertySource<?> names)) {
            return;
        }
        Set<String> placeholders = placeholders(environment);
        Set<String> bound = boundVariables();
        Set<String> known = new TreeSet<>(placeholders);
        known.addAll(bound);
        for (String name : new TreeSet<>(Set.of(names.getPropertyNames()))) {
            String read = name.endsWith(FILE) ? name.substring(0, name.length() - FILE.length()) : name;
            if (OURS.matcher(name).matches() && !placeholders.contains(read) && !bound.contains(bindingOf(read))
                    && !bindingOf(read).startsWith(TARGETS) && !KUBERNETES.matcher(name).matches()) {
                log.warn("Environment variable " + name + " is not one the bridge reads, so it changes nothing"
                        + NearestName.suggestion(read, known) + " (README \"Settings\" lists them)");
            }
        }
    }

    /** The variables the settings files name as placeholders: {@code ${BRIDGE_DB_URL:...}}. */
    private static Set<String> placeholders(ConfigurableEnvironment environment) {
        Set<String> named = new TreeSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> settings
                    && !StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName())) {
                for (String name : settings.getPropertyNames()) {
                    Object value = settings.getProperty(name);
                    Matcher placeholder = PLACEHOLDER.matcher(value == null ? "" : value.toString());
                    while (placeholder.find()) {
                        named.add(placeholder.group(1));
                    }
                }
            }
        }
        return named;
    }

    /**
     * Each setting of the defaults file as the variable Spring binds to it ({@code bridge.webhook.max-body-size}:
     * {@code BRIDGE_WEBHOOK_MAXBODYSIZE}), up to a list's index.
     */
    private static Set<String> boundVariables() {
        Set<String> variables = new TreeSet<>();
        for (String name : ShippedDefaults.names()) {
            ConfigurationPropertyName setting = ConfigurationPropertyName.adapt(name, '.');
            StringBuilder variable = new StringBuilder();
            for (int i = 0; i < setting.getNumberOfElements() && !setting.isNumericIndex(i); i++) {
                variable.append(i == 0 ? "" : "_")
                        .append(setting.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
            }
            variables.add(variable.toString().toUpperCase(Locale.ROOT));
        }
        return variables;
    }

    /** The variable as the setting it binds to, a list's index ({@code _0}) left out: Spring reads any case. */
    private static String bindingOf(String variable) {
        return variable.toUpperCase(Locale.ROOT).replaceAll("(_\\d+)+$", "");
    }

    @Override
    public int getOrder() {
        // With UnknownSettings: after the settings files are read, so their placeholders are known.
        return Ordered.LOWEST_PRECEDENCE - 1;
    }
}
