package com.jodoerp.bridge.admin;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.jodoerp.bridge.system.NearestName;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The admin API takes only the query parameters and body fields it describes. Ignored, a misspelt one changes what
 * a call does without a word: {@code ?state=DEAD} lists every event, {@code {"familly": "flex"}} replays every dead
 * letter, {@code {"dry_run": false}} (the answer's spelling) only counts. Each is a 400 naming what the call takes;
 * so is a query parameter given twice.
 */
@Component
class AdminInputNames implements WebMvcConfigurer, HandlerInterceptor {

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();
    /** A name given longer than any the API takes is not echoed whole. */
    private static final int MAX_ECHO = 64;

    private final ObjectMapper strict;
    private final Map<HandlerMethod, Set<String>> parameters = new ConcurrentHashMap<>();

    AdminInputNames(ObjectMapper json) {
        this.strict = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // Of {"dryRun": true, "dryRun": false}, or a second object after the first, Jackson would take one
                // value and drop the other without a word (a bulk replay started where a count was meant).
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        strict.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // Jackson would take {"reason": 42} as the text "42" and {"dryRun": "false"} or 0 as false: a number where
        // words are asked for, or a quoted flag, is the caller's mistake, refused like any field of the wrong type.
        strict.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        strict.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/admin/**");
    }

    /** Read first for the admin API's bodies, refusing a field they do not have (AdminController answers how). */
    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.add(0, new MappingJackson2HttpMessageConverter(strict) {
            @Override
            public boolean canRead(Class<?> type, MediaType mediaType) {
                return isAdminBody(type) && super.canRead(type, mediaType);
            }

            @Override
            public boolean canRead(Type type, Class<?> contextClass, MediaType mediaType) {
                return isAdminBody(type) && super.canRead(type, contextClass, mediaType);
            }

            @Override
            public boolean canWrite(Class<?> type, MediaType mediaType) {
                return false;
            }

            @Override
            public boolean canWrite(Type type, Class<?> valueClass, MediaType mediaType) {
                return false;
            }
        });
    }

    private static boolean isAdminBody(Type type) {
        return type instanceof Class<?> body && body.isRecord() && body.getEnclosingClass() == AdminController.class;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotSupportedException {
        if (!(handler instanceof HandlerMethod method) || method.getBeanType() != AdminController.class) {
            return true;
        }
        refuseForms(request);
        Set<String> known = parameters.computeIfAbsent(method, AdminInputNames::queryParameters);
        for (Map.Entry<String, String[]> given : request.getParameterMap().entrySet()) {
            if (!known.contains(given.getKey())) {
                Object path = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
                throw new IllegalArgumentException(unknown("query parameter", given.getKey(), known) + " ("
                        + request.getMethod() + " " + path + " takes " + (known.isEmpty() ? "none"
                        : String.join(", ", known)) + ")");
            }
            // Spring would take the first of two numbers, and join two texts with a comma: neither is what was meant.
            if (given.getValue().length > 1) {
                throw new IllegalArgumentException("query parameter '" + given.getKey() + "' was given "
                        + given.getValue().length + " times; give it once");
            }
        }
        return true;
    }

    /**
     * A body sent as a form ({@code curl -d '{"dryRun": true}'} sends a JSON body as one) is a 415 saying to send
     * JSON: read as form fields, that body became a query parameter named after the whole JSON, refused as unknown.
     */
    private static void refuseForms(HttpServletRequest request) throws HttpMediaTypeNotSupportedException {
        MediaType type;
        try {
            type = request.getContentType() == null ? null : MediaType.parseMediaType(request.getContentType());
        } catch (InvalidMediaTypeException unreadable) {
            return;
        }
        if (type != null && (MediaType.APPLICATION_FORM_URLENCODED.includes(type)
                || MediaType.MULTIPART_FORM_DATA.includes(type))) {
            throw new HttpMediaTypeNotSupportedException(type, List.of(MediaType.APPLICATION_JSON));
        }
    }

    /** The names of the method's request parameters, and of the fields of a parameter object's record. */
    private static Set<String> queryParameters(HandlerMethod method) {
        Set<String> names = new LinkedHashSet<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam named = parameter.getParameterAnnotation(RequestParam.class);
            if (named != null) {
                parameter.initParameterNameDiscovery(NAMES);
                names.add(named.name().isEmpty() ? parameter.getParameterName() : named.name());
            } else if (parameter.hasParameterAnnotation(ParameterObject.class)) {
                Arrays.stream(parameter.getParameterType().getRecordComponents()).map(RecordComponent::getName)
                        .forEach(names::add);
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /** What to answer a body field the call does not take. */
    static String unknownField(UnrecognizedPropertyException unknown) {
        List<String> known = unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        return unknown("field", unknown.getPropertyName(), known) + " (this call takes " + String.join(", ", known)
                + ")";
    }

    /**
     * A body that gives a field twice ({@code {"dryRun": true, "dryRun": false}}), or more after its object: what to
     * answer, naming the field; null for any other body that is not JSON. Jackson reports a repeated name only in its
     * message, while its parser still stands on that name.
     */
    static String givenTwice(Throwable unreadable) {
        if (unreadable instanceof MismatchedInputException trailing && trailing.getMessage().startsWith("Trailing")) {
            return "the body must be one JSON object, with nothing after it";
        }
        if (unreadable instanceof JsonParseException parse && parse.getOriginalMessage().startsWith("Duplicate field")
                && parse.getProcessor() != null) {
            try {
                String field = parse.getProcessor().currentName();
                return field == null ? null : named("field", field) + " was given twice; give it once";
            } catch (IOException unnamed) {
                return null;
            }
        }
        return null;
    }

    /** A body field of the wrong type ({@code {"dryRun": "maybe"}}) named, with what it takes; null if unnamed. */
    static String wrongType(MismatchedInputException mismatch) {
        List<JsonMappingException.Reference> path = mismatch.getPath();
        String field = path.isEmpty() ? null : path.get(path.size() - 1).getFieldName();
        Class<?> type = mismatch.getTargetType();
        if (field == null || type == null) {
            return null;
        }
        String takes = type == boolean.class || type == Boolean.class ? "true or false"
                : type == String.class ? "text" : "a " + type.getSimpleName();
        return "field '" + field + "' must be " + takes;
    }

    private static String unknown(String what, String given, Collection<String> known) {
        return "unknown " + named(what, given) + NearestName.suggestion(given, known);
    }

    /** {@code field 'name'}, a name longer than any the API takes cut short. */
    private static String named(String what, String given) {
        String shown = given.length() > MAX_ECHO ? given.substring(0, MAX_ECHO) + "..." : given;
        return what + " '" + shown + "'";
    }
}
