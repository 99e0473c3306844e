package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.embedserve.inference.TorchRuntime;
import io.embedserve.testsupport.RequiredTool;
import io.embedserve.testsupport.ServiceJvmOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./embedserve launcher, run by bash in a copy of the project's layout where a fake {@code mvn}
 * "builds" a fake jar that records how it was started (its arguments, its JVM options and the
 * native settings it sees). What is checked: when it builds, what it runs before the service, with which settings.
 */
class LauncherTest {

    private static final Path LAUNCHER = Shell.PROJECT.resolve("embedserve");
    private static final String SETTINGS = "src/main/resources/io/embedserve/inference/native-environment.properties";
    private static final String JVM_OPTIONS = "src/main/resources/io/embedserve/inference/jvm-options";
    private static final List<String> RECORDED = List.of("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "MALLOC_ARENA_MAX",
            "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "LD_PRELOAD", "SERVER_ADDRESS");

    @TempDir
    static Path shared;
    static Path fakeJar;

    @TempDir
    Path tmp;
    Path project;
    Path log;

    /** A jar whose main appends one line per start: its arguments, its JVM options, then NAME=value of each recorded variable. */
    @BeforeAll
    static void buildFakeJar() throws IOException {
        Path source = shared.resolve("FakeService.java");
        StringBuilder record = new StringBuilder();
        for (String name : RECORDED) {
            record.append("line.append('\\t').append(\"").append(name).append("=\").append(System.getenv(\"")
                    .append(name).append("\"));\n");
        }
        Files.writeString(source, """
                import java.nio.file.*;
                public class FakeService {
                    public static void main(String[] args) throws Exception {
                        StringBuilder line = new StringBuilder("args=" + String.join(" ", args));
                        line.append("\\tjvm=").append(String.join(" ",
                                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
                        %s
                        Files.writeString(Path.of(System.getenv("LAUNCH_LOG")), line + "\\n",
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        if (args.length > 0 && args[0].equals("fetch")) {
                            System.exit(Integer.parseInt(System.getenv().getOrDefault("FETCH_STATUS", "0")));
                        }
                    }
                }
                """.formatted(record));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null, List.of("-d", shared.toString()), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(source.toFile())).call();
        assertThat(compiled).as(diagnostics.toString()).isTrue();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "FakeService");
        fakeJar = shared.resolve("fake-service.jar");
        try (OutputStream out = Files.newOutputStream(fakeJar); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry("FakeService.class"));
            jar.write(Files.readAllBytes(shared.resolve("FakeService.class")));
            jar.closeEntry();
        }
    }

    /** The launcher, pom.xml, a source file and the native settings, in the project's places; no jar yet. */
    @BeforeEach
    void layOutProject() throws IOException {
        project = tmp.resolve("project");
        Files.createDirectories(project.resolve(SETTINGS).getParent());
        Files.copy(LAUNCHER, project.resolve("embedserve"));
        Files.copy(Shell.PROJECT.resolve(SETTINGS), project.resolve(SETTINGS));
        Files.copy(Shell.PROJECT.resolve(JVM_OPTIONS), project.resolve(JVM_OPTIONS));
        Files.writeString(project.resolve("pom.xml"), "<project/>\n");
        Files.writeString(project.resolve("src/main/Service.java"), "class Service {}\n");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path mvn = Files.writeString(bin.resolve("mvn"), """
                #!/bin/sh
                echo "mvn $*" >>"$LAUNCH_LOG"
                mkdir -p target && cp "$FAKE_JAR" target/embedserve-0.1.0-SNAPSHOT.jar
                """);
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        log = tmp.resolve("launches.log");
    }

    @Test
    void buildsTheMissingJarThenFetchesTheModelIfMissingThenStartsTheServiceWithTheNativeSettings() throws IOException {
        Shell.Result result = launch(Map.of(), "--server.port=0");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("mvn -B -DskipTests package");
        Map<String, String> fetch = parse(lines.get(1));
        assertThat(fetch.get("args")).isEqualTo("fetch --if-missing --no-progress");
        Map<String, String> service = parse(lines.get(2));
        assertThat(service.get("args")).isEqualTo("--server.port=0");
        TorchRuntime.NATIVE_ENVIRONMENT.forEach((name, value) -> assertThat(service.get(name)).as(name).isEqualTo(value));
        assertThat(service.get("jvm").split(" ")).containsSubsequence(ServiceJvmOptions.read());
        assertThat(result.stderr()).contains("building the jar (no jar in " + project.toRealPath().resolve("target"));
    }

    @Test
    void anUpToDateJarIsNotBuiltAgainButASourceNewerThanItIs() throws IOException {
        Path jar = Files.createDirectories(project.resolve("target")).resolve("embedserve-0.1.0-SNAPSHOT.jar");
        Files.copy(fakeJar, jar);
        Instant now = Instant.now();
        for (Path source : List.of(project.resolve("pom.xml"), project.resolve("src/main/Service.java"),
                project.resolve(SETTINGS), project.resolve(JVM_OPTIONS))) {
            Files.setLastModifiedTime(source, FileTime.from(now.minusSeconds(3600)));
        }
        Files.setLastModifiedTime(jar, FileTime.from(now.minusSeconds(60)));

        assertThat(launch(Map.of()).exitCode()).isZero();
        assertThat(Files.readAllLines(log)).noneMatch(line -> line.startsWith("mvn"));

        Files.setLastModifiedTime(project.resolve("src/main/Service.java"), FileTime.from(now));
        Shell.Result rebuilt = launch(Map.of());

        assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isZero();
        assertThat(Files.readAllLines(log)).filteredOn(line -> line.startsWith("mvn")).hasSize(1);
        assertThat(rebuilt.stderr()).contains("src/main/Service.java is newer than");
    }

    @Test
    void withoutAKeyTheServiceListensOnLoopbackAndSaysSoButAKeyOrAnAddressIsLeftAlone() {
        Shell.Result open = launch(Map.of(), "--server.port=0");
        assertThat(open.exitCode()).as(open.toString()).isZero();
        assertThat(lastStart("--").get("SERVER_ADDRESS")).isEqualTo("127.0.0.1");
        assertThat(open.stderr()).contains("no API_KEY set: listening on 127.0.0.1 only");

        assertThat(launch(Map.of("API_KEY", "a-key"), "--server.port=0").exitCode()).isZero();
        assertThat(lastStart("--").get("SERVER_ADDRESS")).isEqualTo("null");

        assertThat(launch(Map.of("SERVER_ADDRESS", "0.0.0.0"), "--server.port=0").exitCode()).isZero();
        assertThat(lastStart("--").get("SERVER_ADDRESS")).isEqualTo("0.0.0.0");
    }

    @Test
    void aNativeSettingTheUserAlreadySetIsKept() {
        Shell.Result result = launch(Map.of("MALLOC_ARENA_MAX", "4"), "--server.port=0");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Map<String, String> service = lastStart("--");
        assertThat(service.get("MALLOC_ARENA_MAX")).isEqualTo("4");
        assertThat(service.get("OMP_WAIT_POLICY")).isEqualTo(TorchRuntime.NATIVE_ENVIRONMENT.get("OMP_WAIT_POLICY"));
    }

    @Test
    void javaOptsComeAfterTheServicesJvmOptionsSoThatTheUsersChoiceWins() {
        Shell.Result result = launch(Map.of("JAVA_OPTS", "-XX:TieredStopAtLevel=4 -Dexample=1"), "--server.port=0");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> jvm = List.of(lastStart("--").get("jvm").split(" "));
        List<String> expected = new ArrayList<>(ServiceJvmOptions.read());
        expected.addAll(List.of("-XX:TieredStopAtLevel=4", "-Dexample=1"));
        assertThat(jvm).containsSubsequence(expected);
    }

    @Test
    void preloadsTheSystemsJemallocOnLinuxUnlessToldNot() throws IOException {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "jemalloc is preloaded on Linux only");
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        Path jemalloc = Path.of("/usr/lib/" + arch + "-linux-gnu/libjemalloc.so.2");
        RequiredTool.require(Files.exists(jemalloc), jemalloc + " is not installed (apt-get install libjemalloc2)");

        assertThat(launch(Map.of(), "--server.port=0").exitCode()).isZero();
        assertThat(lastStart("--").get("LD_PRELOAD")).isEqualTo(jemalloc.toString());
        assertThat(lastStart("fetch").get("LD_PRELOAD")).as("the fetch JVM").isEqualTo("null");

        assertThat(launch(Map.of("EMBEDSERVE_JEMALLOC", "0"), "--server.port=0").exitCode()).isZero();
        assertThat(lastStart("--").get("LD_PRELOAD")).isEqualTo("null");
    }

    @Test
    void aModelThatCannotBeFetchedStopsTheLauncherBeforeTheService() throws IOException {
        Shell.Result offline = launch(Map.of("FETCH_STATUS", "3"));

        assertThat(offline.exitCode()).isEqualTo(3);
        // The fetch mode printed the one line that says what to run; the launcher adds nothing.
        assertThat(offline.stderr()).doesNotContain("could not be fetched");
        assertThat(Files.readAllLines(log)).hasSize(2).last().satisfies(line -> assertThat(line).startsWith("args=fetch"));

        Shell.Result failed = launch(Map.of("FETCH_STATUS", "1"));

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr()).contains("the model could not be fetched; the service was not started");
    }

    @Test
    void theFetchSubcommandPassesItsArgumentsToTheJarsFetchMode() throws IOException {
        Shell.Result result = launch(Map.of(), "fetch", "acme/model", "--revision", "v1");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = Files.readAllLines(log);
        assertThat(parse(lines.get(lines.size() - 1)).get("args")).isEqualTo("fetch acme/model --revision v1 --no-progress");
        assertThat(lines).filteredOn(line -> line.startsWith("args=")).hasSize(1);
    }

    @Test
    void aJarNamedByEmbedserveJarRunsWithoutABuild() throws IOException {
        Shell.Result result = launch(Map.of("EMBEDSERVE_JAR", fakeJar.toString()));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Files.readAllLines(log)).hasSize(2).noneMatch(line -> line.startsWith("mvn"));
    }

    private Shell.Result launch(Map<String, String> extra, String... args) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("LAUNCH_LOG", log.toString());
        env.put("FAKE_JAR", fakeJar.toString());
        List<String> command = new ArrayList<>(List.of(args));
        ProcessBuilder builder = Shell.builder(project.resolve("embedserve"), env, command.toArray(String[]::new));
        builder.command().set(0, "bash");
        builder.environment().put("PATH", tmp.resolve("bin") + ":" + Path.of(System.getProperty("java.home"), "bin")
                + ":" + builder.environment().get("PATH"));
        return Shell.run(builder);
    }

    /** The last start of the fake jar whose arguments begin with {@code prefix} ("--": the service's). */
    private Map<String, String> lastStart(String prefix) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("args=" + prefix)) {
                    return parse(lines.get(i));
                }
            }
            throw new AssertionError("no start with arguments " + prefix + "... in " + lines);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : line.split("\t")) {
            int eq = field.indexOf('=');
            fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
        return fields;
    }
}
