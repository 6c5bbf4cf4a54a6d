package com.jodoerp.bridge.admin;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The admin API's OpenAPI description ({@code GET /admin/openapi}, behind the operator login), generated from
 * {@link AdminController}. The errors every operation can answer are the same JSON shape, so they are described
 * once here and added to each operation, rather than repeated on every method.
 */
@Configuration(proxyBeanMethods = false)
public class AdminApiDescription {

    private static final String ERROR = "Error";
    private static final String LOGIN = "operator";

    @Bean
    OpenAPI adminApi() {
        Schema<?> error = new ObjectSchema().description("Every refusal: a code and what was wrong, never a stack trace")
                .addProperty("error", new StringSchema().example("bad_request"))
                .addProperty("message", new StringSchema().example("date must be a day such as 2026-11-23"));
        return new OpenAPI()
                .info(new Info().title("jodo-erp-bridge admin API").version("1")
                        .description("Dead letters, replays, events, audit and reconciliation of the bridge that "
                                + "delivers Jodo's school-fee webhooks into the school's ERP. Sign in with HTTP Basic "
                                + "(BRIDGE_ADMIN_USER / BRIDGE_ADMIN_PASSWORD), or with the ops page's session and its "
                                + "X-XSRF-TOKEN header. Times answered are UTC instants (ISO-8601); days are the "
                                + "school's. The from and to filters take an instant, or a time or a day in the "
                                + "school's time zone (2026-11-23T15:30, 2026-11-23)."))
                // Relative: springdoc would otherwise write an address made from the request's Host header.
                .servers(List.of(new Server().url("/").description("the bridge this document was read from")))
                .components(new Components().addSchemas(ERROR, error)
                        .addSecuritySchemes(LOGIN, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
                .addSecurityItem(new SecurityRequirement().addList(LOGIN));
    }

    @Bean
    OpenApiCustomizer everyOperationsErrors() {
        Map<String, String> errors = Map.of(
                "400", "A parameter or body is not valid; the message names it",
                "401", "No operator login, or a wrong one",
                "403", "Signed in by session, but the X-XSRF-TOKEN header is missing",
                "429", "Too many failed logins from this user or address: wait for Retry-After seconds");
        return api -> api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            errors.forEach((status, meaning) -> operation.getResponses().putIfAbsent(status, error(meaning)));
            if (path.contains("{")) {
                operation.getResponses().putIfAbsent("404", error("Nothing with that id (or nothing left to do to it)"));
            }
            if (path.endsWith("/discard")) {
                operation.getResponses().putIfAbsent("409", error("The delivery is being attempted right now (error"
                        + " being_attempted): discard it once the attempt has ended"));
            }
        }));
    }

    private static ApiResponse error(String meaning) {
        return new ApiResponse().description(meaning).content(new Content().addMediaType("application/json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR))));
    }
}
