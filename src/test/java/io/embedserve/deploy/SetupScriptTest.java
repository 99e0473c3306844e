package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RequiredTool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/setup.sh with a fake docker CLI: each pre-flight failure stops it with a clear message. */
class SetupScriptTest {

    private static final Path SCRIPT = Shell.PROJECT.resolve("scripts/setup.sh");

    @TempDir
    Path tmp;

    private Path project;
    private FakeDocker docker;

    @BeforeEach
    void projectWithRealEnvExample() throws IOException {
        project = Files.createDirectories(tmp.resolve("project"));
        Files.copy(Shell.PROJECT.resolve(".env.example"), project.resolve(".env.example"));
        docker = new FakeDocker(tmp).with("PROJECT_DIR", project.toString());
        composeConfigPublishing("ports: []");
    }

    @Test
    void aMissingEnvFileStopsWithTheCommandThatCreatesIt() {
        Shell.Result result = setup("--dry-run");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains(project.resolve(".env") + " not found").contains("cp ");
        assertThat(docker.calls()).isEmpty();
    }

    @Test
    void aPlaceholderSecretLeftFromEnvExampleStopsSetup() throws IOException {
        Files.copy(project.resolve(".env.example"), project.resolve(".env"));

        Shell.Result result = setup("--dry-run");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr())
                .contains("POSTGRES_PASSWORD in " + project.resolve(".env") + " still has the placeholder value");
        assertThat(docker.calls()).isEmpty();
    }

    @Test
    void anEmptySecretStopsSetup() throws IOException {
        Files.writeString(project.resolve(".env"), "POSTGRES_PASSWORD=\nPOSTGRES_USER=embedserve\n");

        Shell.Result result = setup("--dry-run");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("POSTGRES_PASSWORD is not set");
    }

    @Test
    void aQuotedRealSecretPasses() throws IOException {
        writeEnv("POSTGRES_PASSWORD=\"s3cret-Value\"");

        Shell.Result result = setup("--dry-run");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("no placeholder secrets");
    }

    @Test
    void theAppDatabasePasswordIsASecretToo() throws IOException {
        Files.writeString(project.resolve(".env"), "POSTGRES_PASSWORD=s3cret\nAPP_DB_PASSWORD=change-me\n");

        Shell.Result result = setup("--dry-run");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("APP_DB_PASSWORD in " + project.resolve(".env") + " still has the placeholder");
    }

    @Test
    void anEmptyApiKeyStopsSetupUnlessAnOpenApiIsMeant() throws IOException {
        writeEnv("POSTGRES_PASSWORD=s3cret\nAPI_KEY=");

        Shell.Result result = setup("--dry-run");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("API_KEY is not set in " + project.resolve(".env")
                + " (the service would refuse to start: set a key, or API_KEY_REQUIRED=false for an open API)");
        Files.writeString(project.resolve(".env"), "\nAPI_KEY_REQUIRED=false\n", java.nio.file.StandardOpenOption.APPEND);
        Shell.Result open = setup("--dry-run");
        assertThat(open.exitCode()).as(open.toString()).isZero();
        assertThat(open.stdout()).contains("no placeholder secrets").doesNotContain("warn");
    }

    @Test
    void anApiPublishedBeyondLoopbackWithoutAKeyIsWarnedAbout() throws IOException {
        writeEnv("POSTGRES_PASSWORD=s3cret\nAPP_BIND=0.0.0.0\nAPI_KEY=\nAPI_KEY_REQUIRED=false");

        Shell.Result result = setup("--dry-run");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("warn").contains("APP_BIND=0.0.0.0").contains("API_KEY");
        Files.writeString(project.resolve(".env"), "\nAPI_KEY=a-real-key\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(setup("--dry-run").stdout()).doesNotContain("warn");
    }

    @Test
    void aMissingDockerIsNamed() throws IOException {
        writeEnv("POSTGRES_PASSWORD=s3cret");
        docker.with("DOCKER", tmp.resolve("nowhere/docker").toString());

        Shell.Result result = setup("--dry-run");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("not found on PATH").contains("install Docker Engine");
    }

    @Test
    void aMissingComposePluginIsNamed() throws IOException {
        writeEnv("POSTGRES_PASSWORD=s3cret");
        docker.with("FAKE_NO_COMPOSE", "1");

        Shell.Result result = setup("--dry-run");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("install the Docker Compose plugin");
    }

    @Test
    void anUnreachableEngineIsNamed() throws IOException {
        writeEnv("POSTGRES_PASSWORD=s3cret");
        docker.with("FAKE_ENGINE_DOWN", "1");

        Shell.Result result = setup("--dry-run");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("cannot reach the Docker engine");
    }

    @Test
    void aBusyPublishedPortStopsSetupAndNamesThePort() throws IOException {
        RequiredTool.require(FakeDocker.onPath("ss") || FakeDocker.onPath("netstat"),
                "neither ss nor netstat is installed (apt-get install iproute2)");
        writeEnv("POSTGRES_PASSWORD=s3cret");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            composeConfigPublishing("ports:\n  - mode: ingress\n    target: 8080\n    published: \""
                    + busy.getLocalPort() + "\"\n    protocol: tcp");

            Shell.Result result = setup("--dry-run");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).contains("port(s) " + busy.getLocalPort() + " already in use")
                    .contains("APP_PORT");
        }
        assertThat(docker.calls()).noneMatch(call -> call.contains(" up"));
    }

    @Test
    void aBusyPortInShortSyntaxIsFoundToo() throws IOException {
        RequiredTool.require(FakeDocker.onPath("ss") || FakeDocker.onPath("netstat"),
                "neither ss nor netstat is installed (apt-get install iproute2)");
        writeEnv("POSTGRES_PASSWORD=s3cret");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            composeConfigPublishing("ports:\n    - 127.0.0.1:" + busy.getLocalPort() + ":5432/tcp");

            Shell.Result result = setup("--dry-run");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).contains("port(s) " + busy.getLocalPort() + " already in use");
        }
    }

    @Test
    void dryRunChecksEverythingAndStartsNothing() throws IOException {
        writeEnv("POSTGRES_PASSWORD=s3cret");
        int free = freePort();
        composeConfigPublishing("ports:\n  - published: \"" + free + "\"\n    target: 8080");

        Shell.Result result = setup("--dry-run");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("published ports free: " + free)
                .contains("dry run: would run: ");
        assertThat(docker.calls()).noneMatch(call -> call.contains(" up"));
    }

    @Test
    void afterThePreflightItStartsTheStackDetachedPassingExtraArguments() throws IOException {
        writeEnv("POSTGRES_PASSWORD=s3cret");

        Shell.Result result = setup("--build");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(docker.calls()).contains("compose --env-file " + project.resolve(".env") + " up -d --build");
        assertThat(result.stdout()).contains("scripts/health-check.sh");
    }

    private Shell.Result setup(String... args) {
        return Shell.run(SCRIPT, docker.env, args);
    }

    /** A complete .env; the given lines come after the API key, so they may override it. */
    private void writeEnv(String secretLine) throws IOException {
        Files.writeString(project.resolve(".env"), "API_KEY=client-key-1\n"
                + secretLine + "\nPOSTGRES_USER=embedserve\nAPP_DB_PASSWORD=app-s3cret\nAPP_PORT=8080\n");
    }

    private void composeConfigPublishing(String portsYaml) throws IOException {
        Path config = tmp.resolve("compose-config.yml");
        Files.writeString(config, "name: project\nservices:\n  app:\n    image: embedserve:local\n    "
                + portsYaml.replace("\n", "\n    ") + "\n");
        docker.with("FAKE_COMPOSE_CONFIG", config.toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
