package dev.caravan.registry;

import dev.caravan.data.AtomicFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the embedded PostgreSQL: whoever can read its password, which is generated once and kept beside the
 * data directory with mode 0600 ({@code <data>.password}). TCP connections need it (scram-sha-256), and the Unix
 * socket lives in a private directory ({@code <data>.socket}, mode 0700), so other local users are refused. A
 * process that joins a running server reads the same file. A data directory made before this (trust for all) is
 * given a password and scram on its first start.
 */
final class EmbeddedAccess {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedAccess.class);
    private static final String SCRAM = "scram-sha-256";

    private final Path dataDirectory;
    private final Path passwordFile;
    private final Path socketDirectory;
    /** The password for initdb to read, there only until the first start is done. */
    private final Path initdbPasswordFile;

    EmbeddedAccess(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        this.passwordFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".password");
        this.socketDirectory = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".socket");
        this.initdbPasswordFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".pwfile");
    }

    /** The password of a server that has one; empty for a data directory made before passwords (trust). */
    String password() throws IOException {
        return Files.exists(passwordFile)
                ? Files.readString(passwordFile, StandardCharsets.UTF_8).strip()
                : "";
    }

    private boolean initialized() {
        return Files.exists(dataDirectory.resolve("PG_VERSION"));
    }

    /**
     * Sets up a builder for this data directory: for a new one, initdb with scram on TCP and on the socket and a
     * generated superuser password; every start, the private socket directory and the password to connect with.
     */
    EmbeddedPostgres.Builder configure(EmbeddedPostgres.Builder builder) throws IOException {
        Files.createDirectories(socketDirectory);
        Files.setPosixFilePermissions(socketDirectory, PosixFilePermissions.fromString("rwx------"));
        builder.setServerConfig("unix_socket_directories", socketDirectory.toString())
                .setServerConfig("unix_socket_permissions", "0700");
        if (!initialized()) {
            String password = generated();
            writePrivately(initdbPasswordFile, password); // removed by secure()
            builder.setLocaleConfig("auth-host", SCRAM)
                    .setLocaleConfig("auth-local", SCRAM)
                    .setLocaleConfig("pwfile", initdbPasswordFile.toString());
            writePrivately(passwordFile, password);
        }
        String password = password();
        return password.isEmpty() ? builder : builder.setConnectConfig("password", password);
    }

    /** After the start: removes initdb's password file, and gives an older, trusting server a password. */
    void secure(EmbeddedPostgres server) throws IOException {
        Files.deleteIfExists(initdbPasswordFile);
        if (!password().isEmpty()) {
            return;
        }
        String password = generated();
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            // the password is hex from SecureRandom: no quote can appear in it
            statement.execute("alter role postgres password '" + password + "'");
            writePrivately(passwordFile, password);
            Path hba = dataDirectory.resolve("pg_hba.conf");
            List<String> lines = Files.readAllLines(hba).stream()
                    .map(line -> line.startsWith("#") ? line : line.replaceAll("\\btrust\\s*$", SCRAM))
                    .toList();
            AtomicFiles.write(hba, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            statement.execute("select pg_reload_conf()");
            LOG.info("embedded PostgreSQL at {} now needs the password in {}", dataDirectory, passwordFile);
        } catch (SQLException e) {
            throw new IOException(
                    "cannot give embedded PostgreSQL at " + dataDirectory + " a password: " + e.getMessage(), e);
        }
    }

    private static String generated() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void writePrivately(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
