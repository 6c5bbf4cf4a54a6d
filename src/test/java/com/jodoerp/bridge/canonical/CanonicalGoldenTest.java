package com.jodoerp.bridge.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each of Jodo's 36 sample events against its hand-checked canonical record in
 * {@code src/test/resources/canonical/}. Compared as text, so field order and the scale of every amount count.
 */
class CanonicalGoldenTest {

    static final Instant RECEIVED_AT = Instant.parse("2026-11-23T10:15:30Z");

    static List<String> samples() {
        return Samples.events();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void mapsTheSampleToItsGoldenRecord(String event) throws IOException {
        String actual = CanonicalMapper.write(new CanonicalMapper().map(Samples.bytes(event), Samples.familyOf(event),
                RECEIVED_AT));

        assertThat(actual).isEqualTo(CanonicalMapper.write(CanonicalMapper.read(golden(event))));
    }

    private static byte[] golden(String event) throws IOException {
        try (InputStream in = CanonicalGoldenTest.class.getResourceAsStream("/canonical/" + event + ".json")) {
            assertThat(in).as("golden file for " + event).isNotNull();
            return in.readAllBytes();
        }
    }
}
