package com.jodoerp.bridge.system;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.FailedToCreateRouteException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A start-up stopped by a setting or a route file is reported the way Spring Boot reports its own refusals
 * ("APPLICATION FAILED TO START", what is wrong, what to do), not as a stack trace whose first line names a bean
 * the operator never wrote and whose last names the setting. Spring's own reports are left to Spring where they
 * say more: a value that cannot be converted, with where it was set; a port in use.
 */
public class StartupRefusals implements FailureAnalyzer {

    // The bridge's checks begin their message with the setting at fault: "bridge.targets.erp.families[1]: ...", as
    // written (a target named "erp/db" too); a misspelt group is named as written: "brigde.school: no such setting".
    private static final Pattern SETTING =
            Pattern.compile("^((?:bridge|spring|server|management|camel)\\.[^\\s:]*[^\\s:.]"
                    + "|[^\\s:]+(?=: no such setting: ))[: ]");
    // Those of an environment variable (SecretFiles) begin with its name: "BRIDGE_DB_PASSWORD_FILE: cannot read ...".
    private static final Pattern VARIABLE = Pattern.compile("^((?:JODO|BRIDGE|ERP|SFTP)_[A-Z0-9_]+): ");
    // The JDK's words for server.port past 65535 or below 0, passed up from deep in the web server's start.
    private static final Pattern PORT = Pattern.compile("^port out of range:\\s*(-?\\d+)$");
    // YAML's parser marks the place it stopped: " in file:/.../routes/x.camel.yaml, line 5, column 11:".
    private static final String YAML_MARK = " in file:";
    // Camel's refusals of a routes file that is empty, or holds only comments: "Resource is empty: file:/.../x.yaml",
    // "Unable to parse resource: file:/.../x.yaml" (the YAML DSL found no document in it).
    private static final Pattern EMPTY_FILE =
            Pattern.compile("^(?:Resource is empty|Unable to parse resource): (\\S+)$");

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        Throwable routeFile = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return null;
            }
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            Matcher setting = SETTING.matcher(message);
            if ((cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) && setting.find()) {
                // A target's options are refused together with the route template they fill in, which may be at fault.
                return new FailureAnalysis(message, "Correct " + setting.group(1) + " in config/application.yaml, or"
                        + " the environment variable that sets it" + (message.contains("(file:")
                                ? ", or the route template in the file named above," : ",")
                        + " and start the bridge again.", failure);
            }
            Matcher port = PORT.matcher(message);
            if (cause instanceof IllegalArgumentException && port.find()) {
                return new FailureAnalysis("server.port: " + port.group(1) + " is not a port (1 to 65535, or 0 for any"
                        + " free one)", "Correct server.port in config/application.yaml, or the environment variable"
                        + " SERVER_PORT, and start the bridge again.", failure);
            }
            Matcher variable = VARIABLE.matcher(message);
            if (cause instanceof IllegalStateException && variable.find()) {
                return new FailureAnalysis(message, "Correct the environment variable " + variable.group(1)
                        + " (or the file it names) and start the bridge again.", failure);
            }
            Matcher empty = EMPTY_FILE.matcher(message);
            if (empty.find()) {
                return new FailureAnalysis("The routes file " + empty.group(1) + " holds nothing but comments or"
                        + " blank lines.", "Remove it, or write its routes, and start the bridge again.", failure);
            }
            if (message.contains(YAML_MARK)
                    || cause instanceof FailedToCreateRouteException route && route.getLocation() != null) {
                routeFile = cause;
            }
        }
        return routeFile == null ? null : new FailureAnalysis(routeFile.getMessage(), "Correct the route in the file"
                + " named above (the routes folder: routes/ beside the jar, or bridge.routes-dir) and start the bridge"
                + " again.", failure);
    }
}
