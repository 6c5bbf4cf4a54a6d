package com.jodoerp.bridge.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC without Bean Validation. No handler of the bridge validates its arguments with {@code jakarta.validation}
 * (every input is checked by the bridge's own code, which names the field); Hibernate Validator is on the class path
 * only because springdoc brings it. But with a Bean Validation validator configured, Spring MVC 6.2.15 (the version
 * Spring Boot 3.5.9 pins) scans each handler method's annotations for validation groups on every request (reported
 * upstream as spring-framework#36274), twice per webhook, as Camel answers it on an async dispatch: 3 % of the
 * intake's CPU samples (JFR, bench/RESULTS.md, 2026-12-05). With a validator that is not a Bean Validation one,
 * Spring MVC sets up no method validation at all.
 */
@Configuration(proxyBeanMethods = false)
class MvcWithoutBeanValidation implements WebMvcConfigurer {

    /** Supports no type, so no data binder is given it. */
    private static final Validator NONE = new Validator() {
        @Override
        public boolean supports(Class<?> type) {
            return false;
        }

        @Override
        public void validate(Object target, Errors errors) {
            // never called: supports nothing
        }
    };

    @Override
    public Validator getValidator() {
        return NONE;
    }
}
