package com.jodoerp.bridge.webhook;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.support.DefaultHandlerExceptionResolver;

/**
 * Spring's resolver of its own web exceptions, logging only what is the bridge's fault (a 5xx: an answer it could not
 * write, an asynchronous request that timed out). Spring's logs a warning for every client's mistake too, one line a
 * request: a scanner's flood of GETs on the webhook URL flooded the log. Those are answered, and counted in
 * {@code http_server_requests_seconds_count{status}}; refused webhooks are logged by {@link RefusalLog}, once per
 * reason a minute.
 */
@Configuration(proxyBeanMethods = false)
class ClientMistakesUnlogged implements WebMvcConfigurer {

    @Override
    public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
        resolvers.replaceAll(resolver -> resolver.getClass() == DefaultHandlerExceptionResolver.class
                ? new ServerErrorsLogged() : resolver);
    }

    private static final class ServerErrorsLogged extends DefaultHandlerExceptionResolver {

        ServerErrorsLogged() {
            // The logger an operator knows Spring's lines by.
            setWarnLogCategory(DefaultHandlerExceptionResolver.class.getName());
        }

        @Override
        protected void logException(Exception ex, HttpServletRequest request) {
            // Not an ErrorResponse: a message Spring could not convert or write, the bridge's fault.
            if (!(ex instanceof ErrorResponse answer) || answer.getStatusCode().is5xxServerError()) {
                super.logException(ex, request);
            }
        }
    }
}
