package com.jodoerp.bridge.webhook;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.error.BasicErrorController;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorViewResolver;
import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Spring Boot's error controller, with one status corrected: a body whose HTTP framing is broken (a chunk size that
 * is not hex) is read by the intake without holding a thread, and Tomcat reports such a read error to an asynchronous
 * request as a 500, although it is the client's. It is answered 400 here ({@link ErrorAnswers} gives the reason).
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ErrorPages extends BasicErrorController {

    public ErrorPages(ErrorAttributes errorAttributes, ServerProperties server, List<ErrorViewResolver> resolvers) {
        super(errorAttributes, server.getError(), resolvers);
    }

    @Override
    protected HttpStatus getStatus(HttpServletRequest request) {
        return ErrorAnswers.unreadableBody(request) != null ? HttpStatus.BAD_REQUEST : super.getStatus(request);
    }
}
