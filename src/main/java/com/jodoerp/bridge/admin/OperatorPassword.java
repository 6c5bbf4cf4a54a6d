package com.jodoerp.bridge.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * How the operator's password is checked: the SHA-256 digests of the password set and of the one sent, compared in
 * constant time. Not bcrypt: bcrypt's cost protects hashes kept in a store that could leak, and the bridge keeps
 * none; the password comes from the settings (a variable or a secret file) and is in the process as text anyway.
 * What bcrypt did cost was 60-70 ms of CPU (measured on two cores) on every request with HTTP Basic credentials,
 * right or wrong (Spring checks a made-up hash for unknown user names too, so that they take as long): a script or a
 * monitor calling the admin API with the login, or wrong logins from many addresses, took that from the webhooks.
 * Digests are compared, not the passwords, so the time taken says nothing of the length or content of either.
 */
final class OperatorPassword implements PasswordEncoder {

    private static final HexFormat HEX = HexFormat.of();

    @Override
    public String encode(CharSequence password) {
        return HEX.formatHex(digest(password));
    }

    @Override
    public boolean matches(CharSequence sent, String encoded) {
        return sent != null && encoded != null && MessageDigest.isEqual(digest(sent), HEX.parseHex(encoded));
    }

    private static byte[] digest(CharSequence password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException notInThisJava) {
            // Every Java has SHA-256 (the Java SE specification requires it).
            throw new IllegalStateException(notInThisJava);
        }
    }
}
