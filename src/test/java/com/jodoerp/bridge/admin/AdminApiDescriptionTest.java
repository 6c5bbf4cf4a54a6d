package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API's OpenAPI description: behind the operator login, every operation summarised with its errors, and
 * every admin call the README shows (curl lines and inline {@code GET /admin/...}) is an operation it describes,
 * with the query parameters the README uses.
 */
class AdminApiDescriptionTest {

    private static final Pattern CURL = Pattern.compile(
            "curl \\$A\\s+(?:-X (POST|DELETE)\\s+)?'?http://localhost:8080(/admin/[^\\s'?]*)(?:\\?([^\\s']*))?");
    private static final Pattern INLINE = Pattern.compile("`(GET|POST|DELETE) (/admin/[^\\s`?]*)(?:\\?([^\\s`]*))?");

    @TempDir
    Path dataDir;

    @Test
    void theDescriptionCoversEveryOperationItsErrorsAndTheReadmesCalls() throws Exception {
        try (BridgeInstance bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.admin.username", OperatorsTest.USER, "bridge.admin.password", OperatorsTest.PASSWORD))) {
            assertThat(bridge.admin("GET", "/admin/openapi", null, null, null).statusCode()).isEqualTo(401);
            var answer = bridge.admin("GET", "/admin/openapi", OperatorsTest.USER, OperatorsTest.PASSWORD, null);
            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode api = Samples.tree(answer.body());
            assertThat(api.path("openapi").asText()).startsWith("3.");
            assertThat(api.at("/info/title").asText()).isEqualTo("jodo-erp-bridge admin API");
            assertThat(api.at("/servers/0/url").asText()).as("never an address made from the Host header")
                    .isEqualTo("/");
            assertThat(api.at("/components/securitySchemes/operator/scheme").asText()).isEqualTo("basic");

            int operations = 0;
            for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                assertThat(path.getKey()).startsWith("/admin/");
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    String name = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                    operations++;
                    assertThat(op.getValue().path("summary").asText()).as(name).isNotBlank();
                    JsonNode responses = op.getValue().path("responses");
                    assertThat(responses.has("400") && responses.has("401") && responses.has("403")
                            && responses.has("429")).as(name + " describes its errors").isTrue();
                    assertThat(responses.at("/401/content/application~1json/schema/$ref").asText())
                            .isEqualTo("#/components/schemas/Error");
                    if (path.getKey().contains("{")) {
                        assertThat(responses.has("404")).as(name).isTrue();
                    }
                    for (JsonNode parameter : op.getValue().path("parameters")) {
                        assertThat(parameter.path("name").asText()).as(name + ": the login is no parameter")
                                .isNotIn("who", "filter");
                    }
                }
            }
            assertThat(operations).isGreaterThanOrEqualTo(16);

            List<String[]> calls = readmeCalls();
            assertThat(calls).hasSizeGreaterThanOrEqualTo(12);
            for (String[] call : calls) {
                String method = call[0];
                String path = call[1];
                JsonNode operation = operation(api, method.toLowerCase(Locale.ROOT), path);
                assertThat(operation).as("the README's " + method + " " + path + " is described").isNotNull();
                if (call[2] != null) {
                    List<String> known = new ArrayList<>();
                    operation.path("parameters").forEach(p -> known.add(p.path("name").asText()));
                    for (String pair : call[2].split("&")) {
                        assertThat(known).as(method + " " + path + " takes " + pair).contains(pair.split("=")[0]);
                    }
                }
            }
        }
    }

    /** The README's admin calls: method, path (placeholders as {x}), query string or null. */
    private static List<String[]> readmeCalls() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<String[]> calls = new ArrayList<>();
        Matcher curl = CURL.matcher(readme);
        while (curl.find()) {
            calls.add(new String[] {curl.group(1) == null ? "GET" : curl.group(1), placeholders(curl.group(2)),
                    curl.group(3)});
        }
        Matcher inline = INLINE.matcher(readme);
        while (inline.find()) {
            if (inline.group(2).equals("/admin/openapi")) {
                continue; // the description itself
            }
            calls.add(new String[] {inline.group(1), placeholders(inline.group(2)), inline.group(3)});
        }
        return calls;
    }

    private static String placeholders(String path) {
        return path.replaceAll("<[^>]+>", "{x}");
    }

    private static JsonNode operation(JsonNode api, String method, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> described = paths.next();
            String asTemplate = described.getKey().replaceAll("\\{[^}]+}", "{x}");
            if ((asTemplate.equals(path) || path.matches(described.getKey().replaceAll("\\{[^}]+}", "[^/]+")))
                    && described.getValue().has(method)) {
                return described.getValue().path(method);
            }
        }
        return null;
    }
}
