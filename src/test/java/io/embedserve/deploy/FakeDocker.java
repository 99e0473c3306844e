package io.embedserve.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bin folder with the fake docker CLI (src/test/resources/.../fake-docker.sh) and any other
 * fake commands a test adds, put first on PATH; plus the log of every docker call.
 */
final class FakeDocker {

    final Path bin;
    final Path log;
    final Map<String, String> env = new HashMap<>();

    FakeDocker(Path dir) throws IOException {
        bin = Files.createDirectories(dir.resolve("fake-bin"));
        log = dir.resolve("docker-calls.log");
        try (InputStream script = FakeDocker.class.getResourceAsStream("fake-docker.sh")) {
            install("docker", new String(script.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("DOCKER", bin.resolve("docker").toString());
        env.put("FAKE_DOCKER_LOG", log.toString());
    }

    /** Adds an executable {@code name} to the fake bin folder. */
    FakeDocker install(String name, String script) throws IOException {
        Path command = bin.resolve(name);
        Files.writeString(command, script);
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwxr-xr-x"));
        return this;
    }

    FakeDocker with(String key, String value) {
        env.put(key, value);
        return this;
    }

    List<String> calls() {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
