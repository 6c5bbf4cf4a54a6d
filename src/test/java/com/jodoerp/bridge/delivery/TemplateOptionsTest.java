package com.jodoerp.bridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.camel.model.RouteTemplateDefinition;
import org.junit.jupiter.api.Test;

/** A target's options against its template's declared ones: typos named, environment-variable spellings matched. */
class TemplateOptionsTest {

    private static RouteTemplateDefinition template() {
        RouteTemplateDefinition template = new RouteTemplateDefinition();
        template.setId("rest-target");
        template.templateParameter("target").templateParameter("url").templateParameter("read-timeout", "30s")
                .templateParameter("method", "POST").templateParameter("read-timeout-ms");
        return template;
    }

    @Test
    void optionsMatchWhateverTheirCaseAndDashesAndMayBeSetPerFamily() {
        assertThat(TemplateOptions.resolve("erp", Map.of("url", "http://erp", "READTIMEOUT", "45s",
                "method.flex", "PUT"), template()))
                .containsEntry("url", "http://erp").containsEntry("read-timeout", "45s")
                .containsEntry("method.flex", "PUT").hasSize(3);
    }

    @Test
    void anUnknownOptionStopsStartUpWithTheNearestKnownOne() {
        assertThatThrownBy(() -> TemplateOptions.resolve("erp", Map.of("read-timout", "45s"), template()))
                .hasMessage("bridge.targets.erp.options.read-timout: the rest-target template has no such option;"
                        + " did you mean read-timeout? (it knows: method, read-timeout, url)");
        assertThatThrownBy(() -> TemplateOptions.resolve("erp", Map.of("colour", "blue"), template()))
                .hasMessage("bridge.targets.erp.options.colour: the rest-target template has no such option"
                        + " (it knows: method, read-timeout, url)");
        assertThatThrownBy(() -> TemplateOptions.resolve("erp", Map.of("method.fees", "PUT"), template()))
                .hasMessageContaining("options.method.fees");
    }
}
