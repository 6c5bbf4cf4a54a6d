package com.jodoerp.bridge.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.error.BasicErrorController;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorViewResolver;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * Spring Boot's error controller, with one status corrected: a body whose HTTP framing is broken (a chunk size that
 * is not hex) is read by the intake without holding a thread, and Tomcat reports such a read error to an asynchronous
 * request as a 500, although it is the client's. It is answered 400 here ({@link ErrorAnswers} gives the reason).
 * And every client gets its error in JSON: one that takes no JSON ({@code Accept: application/xml}), and a browser
 * too, which Spring would answer with its "Whitelabel" HTML page (naming the framework, and unlike every other answer).
 * The error path asked for as a path of its own is answered 404, as any path nothing serves.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ErrorPages extends BasicErrorController {

    private final ObjectMapper json;

    public ErrorPages(ErrorAttributes errorAttributes, ServerProperties server, List<ErrorViewResolver> resolvers,
                      ObjectMapper json) {
        super(errorAttributes, server.getError(), resolvers);
        this.json = json;
    }

    /**
     * The error for a client whose Accept header takes neither JSON nor HTML: Spring answers it with the status and
     * an empty body, which says nothing of what was wrong. JSON is what the bridge answers in, so it answers that.
     */
    @Override
    public ResponseEntity<String> mediaTypeNotAcceptable(HttpServletRequest request) {
        return inJson(request);
    }

    /** A browser's error ({@code Accept: text/html}): the same JSON, which a browser shows as it is. */
    @Override
    public ModelAndView errorHtml(HttpServletRequest request, HttpServletResponse response) {
        ResponseEntity<String> answer = inJson(request);
        response.setStatus(answer.getStatusCode().value());
        if (answer.hasBody()) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            try {
                response.getOutputStream().write(answer.getBody().getBytes(StandardCharsets.UTF_8));
            } catch (IOException gone) {
                // The client left: nothing to answer.
            }
        }
        // No view: the answer is written.
        return null;
    }

    /** The error as JSON, with its status; the status alone should the attributes not be writable. */
    private ResponseEntity<String> inJson(HttpServletRequest request) {
        try {
            return ResponseEntity.status(getStatus(request)).contentType(MediaType.APPLICATION_JSON)
                    .body(json.writeValueAsString(getErrorAttributes(request, ErrorAttributeOptions.defaults())));
        } catch (JsonProcessingException unwritable) {
            return ResponseEntity.status(getStatus(request)).build();
        }
    }

    @Override
    protected HttpStatus getStatus(HttpServletRequest request) {
        HttpStatus own = ErrorAnswers.ownStatus(request);
        return own != null ? own : super.getStatus(request);
    }
}
