package com.jodoerp.bridge.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/** An Apache MINA SSHD server on 127.0.0.1 with SFTP, one user (password or key), files under {@code root}. */
public final class EmbeddedSftpServer implements AutoCloseable {

    public static final String USER = "school";
    public static final String PASSWORD = "sftp-pass";

    private final SshServer server;
    private final KeyPair hostKey;
    private final Path root;

    public EmbeddedSftpServer(Path root, PublicKey clientKey) throws IOException, GeneralSecurityException {
        this.root = root;
        Files.createDirectories(root);
        this.hostKey = rsa();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        server.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && clientKey != null
                && KeyUtils.compareKeys(clientKey, key));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.start();
    }

    public int port() {
        return server.getPort();
    }

    public Path root() {
        return root;
    }

    /** A known_hosts file that vouches for this server. */
    public Path knownHosts(Path file) throws IOException {
        Files.writeString(file, "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
        return file;
    }

    /** A known_hosts file that names another key for this server, as after a man-in-the-middle. */
    public Path wrongKnownHosts(Path file) throws IOException, GeneralSecurityException {
        Files.writeString(file, "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(rsa().getPublic()) + "\n");
        return file;
    }

    public static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** Writes {@code key} as an OpenSSH private key file, as ssh-keygen would. */
    public static Path writePrivateKey(KeyPair key, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "bridge", null, out);
        }
        return file;
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
