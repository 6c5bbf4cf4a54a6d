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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/** An Apache MINA SSHD server on 127.0.0.1 with SFTP, one user (password or key), files under {@code root}. */
public final class EmbeddedSftpServer implements AutoCloseable {

    public static final String USER = "school";
    public static final String PASSWORD = "sftp-pass";
    private static final String HOME = "/home/" + USER;

    private final SshServer server;
    private final KeyPair hostKey;
    private final Path root;
    private final Map<String, Integer> entriesRead = new ConcurrentHashMap<>();

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
        Files.createDirectories(home());
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.setFileSystemAccessor(new SftpFileSystemAccessor() {
            // As OpenSSH's sftp-server, after the SFTP draft (files without a leading '/' are relative to the user's
            // default directory, their home): a relative path is under the login's home, an absolute one from the
            // root. MINA's own starts every session at the root, where the two could not be told apart.
            @Override
            public Path resolveLocalFilePath(SftpSubsystemProxy subsystem, Path rootDir, String remotePath)
                    throws IOException {
                Path from = remotePath.startsWith("/") ? rootDir : rootDir.getFileSystem().getPath(HOME);
                return SftpFileSystemAccessor.super.resolveLocalFilePath(subsystem, from, remotePath);
            }
        });
        sftp.addSftpEventListener(new SftpEventListener() {
            @Override
            public void readEntries(ServerSession session, String remoteHandle, DirectoryHandle folder,
                                    Map<String, Path> entries) {
                entriesRead.merge(folder.getFile().toAbsolutePath().toString(), entries.size(), Integer::sum);
            }
        });
        server.setSubsystemFactories(List.of(sftp));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.start();
    }

    public int port() {
        return server.getPort();
    }

    public Path root() {
        return root;
    }

    /** The login's home folder, where a folder named without a leading '/' is. */
    public Path home() {
        return root.resolve(HOME.substring(1));
    }

    /** How many entries of {@code folder} (a folder under {@link #root()}) clients have read, in all. */
    public int entriesRead(Path folder) {
        // Keyed as the server shows the folder: its path from the root, with a leading '/'.
        return entriesRead.getOrDefault("/" + root.relativize(folder), 0);
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
