package com.jodoerp.bridge.webhook;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** One address or CIDR block, IPv4 or IPv6, as written in the allowlist and trusted-proxy settings. */
public final class IpRange {

    // Only literal addresses: a host name here would make every request wait on DNS.
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final String text;
    private final byte[] network;
    private final int prefix;

    private IpRange(String text, byte[] network, int prefix) {
        this.text = text;
        this.network = network;
        this.prefix = prefix;
    }

    /** Parses {@code 3.6.234.242}, {@code 10.0.0.0/8} or {@code ::1}; throws with the offending text. */
    public static IpRange parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
            }
        }
        return new IpRange(trimmed, mask(bytes, prefix), prefix);
    }

    /** True for {@code 0.0.0.0/0} and {@code ::/0}: every address of its family. */
    public boolean everyAddress() {
        return prefix == 0;
    }

    /** True when {@code address} (a literal IP) lies inside this range. */
    public boolean contains(String address) {
        byte[] bytes = literal(address);
        return bytes != null && bytes.length == network.length
                && new BigInteger(1, mask(bytes, prefix)).equals(new BigInteger(1, network));
    }

    static byte[] literal(String address) {
        if (address == null || !(validIpv4(address) || IPV6.matcher(address).matches())) {
            return null;
        }
        try {
            // Java already reads an IPv4-mapped IPv6 address (::ffff:1.2.3.4) as the IPv4 address it carries.
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean validIpv4(String address) {
        if (!IPV4.matcher(address).matches()) {
            return false;
        }
        for (String octet : address.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xFF00 >> keep);
        }
        return masked;
    }

    @Override
    public String toString() {
        return text;
    }
}
