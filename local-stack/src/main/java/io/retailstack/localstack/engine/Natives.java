package io.retailstack.localstack.engine;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/** Unpacks the native binaries shipped in Maven artifacts (recorded in natives.classpath) into the stack directory. */
public final class Natives {
    private Natives() {}

    /** Finds the jar of natives.classpath that contains {@code entryName}. */
    static Path jarContaining(String entryName) throws IOException {
        for (String entry : EngineRuntime.recordedClasspath("natives").split(":")) {
            if (entry.endsWith(".jar")) {
                try (ZipFile zip = new ZipFile(entry)) {
                    if (zip.getEntry(entryName) != null) {
                        return Path.of(entry);
                    }
                }
            }
        }
        throw new IllegalStateException(entryName + " not found in natives.classpath");
    }

    /** PostgreSQL: unpacks postgres-linux-x86_64.txz from the zonky binaries jar; returns the installation dir. */
    public static synchronized Path postgres(Path nativesDir) throws IOException {
        Path jar = jarContaining("postgres-linux-x86_64.txz");
        String version = jar.getFileName().toString().replace(".jar", "").replaceAll(".*-", "");
        Path target = nativesDir.resolve("postgres-" + version);
        if (Files.exists(target.resolve(".complete"))) {
            return target;
        }
        EngineRuntime.deleteTree(target);
        Files.createDirectories(target);
        try (ZipFile zip = new ZipFile(jar.toFile());
                InputStream raw = zip.getInputStream(zip.getEntry("postgres-linux-x86_64.txz"));
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(raw, 1 << 16)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path out = target.resolve(e.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("bad archive entry " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.deleteIfExists(out);
                    Files.createSymbolicLink(out, Path.of(e.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    boolean exec = (e.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(
                            out, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        makeTraversable(target);
        Files.writeString(target.resolve(".complete"), jar.toString());
        return target;
    }

    /** Redis: copies the linux-amd64 redis-server executable out of the embedded-redis jar. */
    public static synchronized Path redisServer(Path nativesDir) throws IOException {
        String name = null;
        Path jar = null;
        for (String entry : EngineRuntime.recordedClasspath("natives").split(":")) {
            if (entry.endsWith(".jar")) {
                try (ZipFile zip = new ZipFile(entry)) {
                    for (ZipEntry z : java.util.Collections.list(zip.entries())) {
                        if (z.getName().matches("redis-server-[0-9.]+.*-linux-amd64")) {
                            name = z.getName();
                            jar = Path.of(entry);
                        }
                    }
                }
            }
        }
        if (name == null) {
            throw new IllegalStateException("no redis-server-*-linux-amd64 in natives.classpath");
        }
        Path target = nativesDir.resolve(name);
        if (Files.isExecutable(target)) {
            return target;
        }
        Files.createDirectories(nativesDir);
        Path tmp = nativesDir.resolve(name + ".tmp");
        try (ZipFile zip = new ZipFile(jar.toFile());
                InputStream in = zip.getInputStream(zip.getEntry(name))) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** Ensures every parent of {@code p} up to / can be traversed by other users (PostgreSQL runs as nobody for root). */
    static void makeTraversable(Path p) throws IOException {
        for (Path d = p.toAbsolutePath(); d != null && d.getParent() != null; d = d.getParent()) {
            if (Files.isDirectory(d)) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(d);
                if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    if (d.startsWith(p)) {
                        perms.add(PosixFilePermission.OTHERS_EXECUTE);
                        perms.add(PosixFilePermission.OTHERS_READ);
                        Files.setPosixFilePermissions(d, perms);
                    }
                }
            }
        }
    }
}
