package com.jodoerp.bridge.webhook;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Error answers ({@link ErrorPages}) go out whole, with a Content-Length. Written as they were, the JSON writer's
 * flush committed them as chunked; after a request whose body Tomcat could not read (broken chunked framing) Tomcat
 * then closes the connection without the last chunk, and a strict client (Python's http.client, curl) reports an
 * incomplete answer instead of the 400 and its reason. Error bodies are small, so holding one until it is complete
 * costs nothing.
 */
@Component
public class WholeErrorAnswers extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getDispatcherType() != DispatcherType.ERROR;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper whole = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, whole);
        } finally {
            whole.copyBodyToResponse();
        }
    }
}
