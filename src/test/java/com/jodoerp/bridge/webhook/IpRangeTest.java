package com.jodoerp.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpRangeTest {

    @Test
    void aSingleAddressMatchesOnlyItself() {
        IpRange range = IpRange.parse("3.6.234.242");
        assertThat(range.contains("3.6.234.242")).isTrue();
        assertThat(range.contains("3.6.234.243")).isFalse();
    }

    @Test
    void anIpv4BlockMatchesItsMembers() {
        IpRange range = IpRange.parse("10.20.0.0/14");
        assertThat(range.contains("10.20.0.1")).isTrue();
        assertThat(range.contains("10.23.255.255")).isTrue();
        assertThat(range.contains("10.24.0.0")).isFalse();
        assertThat(range.contains("::ffff:10.21.1.1")).isTrue();
    }

    @Test
    void anIpv6BlockMatchesItsMembers() {
        IpRange range = IpRange.parse("2001:db8::/32");
        assertThat(range.contains("2001:db8:1::5")).isTrue();
        assertThat(range.contains("2001:db9::1")).isFalse();
        assertThat(range.contains("10.0.0.1")).isFalse();
    }

    @Test
    void hostNamesAndNonsenseAreNotAddresses() {
        assertThatThrownBy(() -> IpRange.parse("jodo.in")).hasMessageContaining("jodo.in");
        assertThatThrownBy(() -> IpRange.parse("300.1.1.1")).hasMessageContaining("300.1.1.1");
        assertThatThrownBy(() -> IpRange.parse("10.0.0.0/33")).hasMessageContaining("prefix");
        assertThat(IpRange.parse("0.0.0.0/0").contains("not-an-address")).isFalse();
    }
}
