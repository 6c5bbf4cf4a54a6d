package com.jodoerp.bridge.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The operators' sign-in page, naming the product (Spring's default page does not). Its form carries the CSRF token
 * in the page itself, as Spring's did, so a script that signs in the way a browser does keeps working.
 */
@RestController
public class SignInPage {

    private final String page;

    public SignInPage() {
        try (InputStream html = SignInPage.class.getResourceAsStream("/admin/login.html")) {
            page = new String(html.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the sign-in page is missing from the jar", e);
        }
    }

    @GetMapping(value = "/login", produces = MediaType.TEXT_HTML_VALUE)
    public String signIn(CsrfToken csrf) {
        return page.replace("{{csrf}}", HtmlUtils.htmlEscape(csrf.getToken()));
    }
}
