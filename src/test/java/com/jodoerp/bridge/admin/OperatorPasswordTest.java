package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OperatorPasswordTest {

    private final OperatorPassword passwords = new OperatorPassword();

    @Test
    void theSamePasswordMatchesAndNoOtherDoes() {
        String set = passwords.encode("Kalyani-fees-2026");
        assertThat(passwords.matches("Kalyani-fees-2026", set)).isTrue();
        assertThat(passwords.matches("Kalyani-fees-202", set)).isFalse();
        assertThat(passwords.matches("Kalyani-fees-20266", set)).isFalse();
        assertThat(passwords.matches("kalyani-fees-2026", set)).isFalse();
        assertThat(passwords.matches("", set)).isFalse();
        assertThat(passwords.matches(null, set)).isFalse();
    }

    @Test
    void aPasswordBeyondAsciiIsComparedByItsUtf8Bytes() {
        String set = passwords.encode("शुल्क-२०२६");
        assertThat(passwords.matches(new StringBuilder("शुल्क-२०२६"), set)).isTrue();
        assertThat(passwords.matches("शुल्क-२०२७", set)).isFalse();
    }

    @Test
    void whatIsKeptIsADigestNotThePassword() {
        String set = passwords.encode("Kalyani-fees-2026");
        assertThat(set).doesNotContain("Kalyani").hasSize(64).matches("[0-9a-f]+");
        assertThat(passwords.encode("a")).hasSize(64);
    }
}
