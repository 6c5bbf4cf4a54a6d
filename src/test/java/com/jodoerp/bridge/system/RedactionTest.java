package com.jodoerp.bridge.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

/** Reasons an operator reads: the cause that can be acted on, no contact details, one line. */
class RedactionTest {

    @Test
    void theRootCauseIsKeptWhenTheOuterMessageHidesIt() {
        Exception error = new IllegalStateException("Cannot connect to sftp://erp.school.in:22",
                new RuntimeException(new IOException("HostKey has been changed: [erp.school.in]:22")));

        assertThat(Redaction.summary(error, 500)).isEqualTo("IllegalStateException: Cannot connect to"
                + " sftp://erp.school.in:22 (caused by IOException: HostKey has been changed: [erp.school.in]:22)");
    }

    @Test
    void aCauseAlreadyInTheMessageIsNotRepeated() {
        IOException cause = new IOException("Connection refused");
        assertThat(Redaction.summary(new RuntimeException(cause), 500))
                .isEqualTo("RuntimeException: java.io.IOException: Connection refused");
    }

    @Test
    void contactDetailsAndControlCharactersNeverReachTheReason() {
        Exception error = new IllegalArgumentException("row for mom@example.com\u0000/ +91 98765 43210\nrefused");

        assertThat(Redaction.summary(error, 500))
                .isEqualTo("IllegalArgumentException: row for ***@*** / ************ refused");
        assertThat(Redaction.summary(error, 30)).hasSize(30).endsWith("...");
    }
}
