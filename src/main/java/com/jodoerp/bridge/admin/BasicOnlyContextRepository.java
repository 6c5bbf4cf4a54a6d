package com.jodoerp.bridge.admin;

import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Where a request's login comes from. A request that carries HTTP Basic credentials takes none from anywhere else
 * (a session cookie sent along is ignored), so it is authenticated by its credentials or not at all, and it leaves
 * nothing behind; any other request has the login of its session.
 */
class BasicOnlyContextRepository implements SecurityContextRepository {

    private final HttpSessionSecurityContextRepository sessions = new HttpSessionSecurityContextRepository();

    static boolean hasBasicCredentials(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        if (!hasBasicCredentials(request)) {
            return sessions.loadDeferredContext(request);
        }
        return new DeferredSecurityContext() {
            private final Supplier<SecurityContext> empty = SecurityContextHolder::createEmptyContext;

            @Override
            public SecurityContext get() {
                return empty.get();
            }

            @Override
            public boolean isGenerated() {
                return true;
            }
        };
    }

    @Override
    @Deprecated
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
        return hasBasicCredentials(holder.getRequest()) ? SecurityContextHolder.createEmptyContext()
                : sessions.loadContext(holder);
    }

    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        if (!hasBasicCredentials(request)) {
            sessions.saveContext(context, request, response);
        }
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        return !hasBasicCredentials(request) && sessions.containsContext(request);
    }
}
