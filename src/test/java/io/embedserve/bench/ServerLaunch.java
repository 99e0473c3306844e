package io.embedserve.bench;

import io.embedserve.inference.TorchRuntime;
import io.embedserve.testsupport.ServiceJvmOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How bench/http.sh starts its servers. The packaged service runs as the Docker image runs it:
 * {@code java -jar} with the service's JVM options ({@link ServiceJvmOptions}), its own native
 * settings ({@link TorchRuntime#NATIVE_ENVIRONMENT}, where a value already in the environment wins,
 * so that other settings can be compared) and jemalloc preloaded when the library is installed. The HTTP peer runs as a JVM team would run it:
 * plain {@code java}, this process's environment, nothing preloaded.
 */
final class ServerLaunch {

    private final Path jar;
    private final Path modelDir;
    private final Optional<Path> jemalloc;
    private final Path logDir;

    ServerLaunch(Path jar, Path modelDir, boolean preloadJemalloc, Path logDir) {
        this.jar = jar;
        this.modelDir = modelDir;
        this.jemalloc = preloadJemalloc ? installedJemalloc() : Optional.empty();
        this.logDir = logDir;
    }

    /** The library the image preloads, wherever Debian's multiarch layout put it. */
    static Optional<Path> installedJemalloc() {
        try (Stream<Path> dirs = Files.list(Path.of("/usr/lib"))) {
            return dirs.map(dir -> dir.resolve("libjemalloc.so.2")).filter(Files::isRegularFile).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    ServerProcess embedServe(String dtype, String label) {
        int port = ServerProcess.freePort();
        Map<String, String> environment = serviceEnvironment();
        environment.put("MODEL_PATH", modelDir.toString());
        environment.put("DTYPE", dtype);
        environment.put("SERVER_ADDRESS", "127.0.0.1"); // no API key: the service opens only on loopback
        environment.put("PORT", String.valueOf(port));
        environment.put("MANAGEMENT_PORT", String.valueOf(ServerProcess.freePort()));
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(ServiceJvmOptions.read());
        command.addAll(List.of("-jar", jar.toString()));
        return ServerProcess.start(label, port, command, environment, logDir.resolve(fileName(label)));
    }

    ServerProcess peer(String label) {
        int port = ServerProcess.freePort();
        List<String> command = List.of(java(), "-Dai.djl.offline=true", "-Dsun.net.httpserver.nodelay=true", "-cp", System.getProperty("java.class.path"),
                HttpPeerServer.class.getName(), "--port", String.valueOf(port));
        return ServerProcess.start(label, port, command, Map.of(), logDir.resolve(fileName(label)));
    }

    /** The native settings the service gets, and jemalloc if preloaded. */
    Map<String, String> serviceEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        TorchRuntime.NATIVE_ENVIRONMENT.forEach((name, value) -> {
            if (System.getenv(name) == null) {
                environment.put(name, value);
            }
        });
        jemalloc.ifPresent(library -> environment.put("LD_PRELOAD", library.toString()));
        return environment;
    }

    /** For the report header: every native setting the service runs with, and where it came from. */
    String describeService() {
        Map<String, String> added = serviceEnvironment();
        String settings = TorchRuntime.NATIVE_ENVIRONMENT.keySet().stream()
                .map(name -> name + "=" + (added.containsKey(name) ? added.get(name) : System.getenv(name) + " (from the environment)"))
                .collect(Collectors.joining(" "));
        return "service: java " + String.join(" ", ServiceJvmOptions.read()) + " -jar " + jar.getFileName() + "; "
                + settings + "; jemalloc: "
                + jemalloc.map(library -> "preloaded (LD_PRELOAD=" + library + ")").orElse("not preloaded");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String fileName(String label) {
        return label.replaceAll("[^A-Za-z0-9.-]+", "-") + ".log";
    }
}
