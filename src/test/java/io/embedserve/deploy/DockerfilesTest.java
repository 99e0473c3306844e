package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.ServiceJvmOptions;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What can be checked of the two Dockerfiles without a Docker engine: what the images promise
 * (non-root user, offline DJL, the native settings, the health check) is written into them, the files they COPY exist, and the DJL warm-up class still
 * compiles against the DJL version in the pom.
 */
class DockerfilesTest {

    private static final Pattern COPY_FROM_CONTEXT = Pattern.compile("(?m)^COPY (?!--from)(.+)$");

    @Test
    void serviceImageRunsAsNonRootWithNativeLibrariesUnpackedAndOffline() throws IOException {
        String dockerfile = read("Dockerfile");
        String runtime = finalStage(dockerfile);

        assertThat(runtime).containsPattern("(?m)^USER 10001:10001$");
        assertThat(runtime).contains("DJL_CACHE_DIR=/opt/djl").contains("ENGINE_CACHE_DIR=/opt/djl")
                .contains("-Dai.djl.offline=true").contains("-XX:MaxRAMPercentage=")
                .contains("HF_HUB_CACHE=/data/hf_cache/hub");
        assertThat(runtime).contains("RUN java -cp '/app/BOOT-INF/lib/*:/opt/djl-warm' WarmDjl");
        assertThat(runtime.indexOf("WarmDjl")).as("native libraries are unpacked before dropping root")
                .isLessThan(runtime.indexOf("USER 10001"));
        assertThat(runtime).containsPattern("(?m)^EXPOSE 8080 9000$").contains("MANAGEMENT_PORT=9000");
        String healthcheck = runtime.substring(runtime.indexOf("HEALTHCHECK"), runtime.indexOf("ENTRYPOINT"));
        assertThat(healthcheck).contains("curl -fsS").contains("${MANAGEMENT_PORT}/actuator/health/liveness")
                .contains("${MANAGEMENT_PORT}/actuator/health/readiness").doesNotContain("${PORT}");
        assertThat(runtime).contains("ENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
        assertThat(dockerfile).contains("mvn -B -q dependency:go-offline").contains("package -DskipTests")
                .contains("java -Djarmode=tools -jar app.jar extract --layers --launcher");
    }

    @Test
    void serviceImageSetsEveryNativeSettingTheServiceWarnsAbout() throws IOException {
        String runtime = finalStage(read("Dockerfile"));
        io.embedserve.inference.TorchRuntime.NATIVE_ENVIRONMENT.forEach((name, value) ->
                assertThat(runtime).containsPattern("(?m)^\\s+" + Pattern.quote(name + "=" + value) + " \\\\$"));
    }

    @Test
    void serviceImageStartsTheJvmWithEveryServiceJvmOption() throws IOException {
        Matcher toolOptions = Pattern.compile("(?m)^\\s+JAVA_TOOL_OPTIONS=\"([^\"]*)\" \\\\$").matcher(finalStage(read("Dockerfile")));
        assertThat(toolOptions.find()).as("the image's JAVA_TOOL_OPTIONS").isTrue();

        assertThat(List.of(toolOptions.group(1).split(" "))).containsAll(ServiceJvmOptions.read());
    }

    @Test
    void serviceImagePreloadsTheJemallocItInstallsOnEitherArchitecture() throws IOException {
        String runtime = finalStage(read("Dockerfile"));
        // A bare soname: the loader finds it in the multiarch directory of the image's architecture.
        assertThat(runtime).containsPattern("apt-get install -y --no-install-recommends [^\\n]*\\blibjemalloc2\\b")
                .containsPattern("(?m)^\\s+LD_PRELOAD=libjemalloc\\.so\\.2 \\\\$")
                .doesNotContain("x86_64-linux-gnu/libjemalloc");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"amd64, linux-x86_64", "arm64, linux-aarch64"})
    void serviceImageBuildsOnTheBuildersPlatformWithTheTargetsLibtorch(String targetArch, String classifier,
            @TempDir Path build) throws IOException {
        String dockerfile = read("Dockerfile");
        String stage = dockerfile.substring(dockerfile.indexOf("FROM "), dockerfile.indexOf("\nFROM ${JRE_IMAGE}"));
        assertThat(stage).startsWith("FROM --platform=$BUILDPLATFORM ${MAVEN_IMAGE} AS build").contains("ARG TARGETARCH");

        // The stage's own shell step, run as the image build would run it for this TARGETARCH.
        Shell.Result chosen = runStep(stage, "RUN case \"${TARGETARCH", build, targetArch);

        assertThat(chosen.exitCode()).as(chosen.toString()).isZero();
        assertThat(Files.readString(build.resolve(".mvn/maven.config")).strip())
                .isEqualTo("-Dpytorch.native.classifier=" + classifier);
        assertThat(stage.indexOf(".mvn/maven.config")).as("chosen before Maven first runs")
                .isLessThan(stage.indexOf("RUN mvn"));
    }

    @Test
    void serviceImageRefusesAnArchitectureWithoutAPyTorchBuild(@TempDir Path build) throws IOException {
        String dockerfile = read("Dockerfile");

        Shell.Result chosen = runStep(dockerfile, "RUN case \"${TARGETARCH", build, "s390x");

        assertThat(chosen.exitCode()).isEqualTo(1);
        assertThat(chosen.stderr()).contains("no PyTorch build for linux/s390x");
        assertThat(build.resolve(".mvn")).doesNotExist();
    }

    @Test
    void modelImageFetchesWithTheJarsOwnFetchModeAtAPinnedCommitAndPublishesItAsMain() throws IOException {
        String dockerfile = read("Dockerfile.model");
        String download = dockerfile.substring(0, dockerfile.lastIndexOf("\nFROM "));

        assertThat(dockerfile).containsPattern("ARG MODEL_ID=sentence-transformers/paraphrase-multilingual-mpnet-base-v2")
                .containsPattern("ARG MODEL_REVISION=[0-9a-f]{40}\\n").contains("ARG MODEL_REF=main");
        // The files fetched, their hashes and the layout are FetchCommandTest's; here, that the image runs it.
        assertThat(download).contains("RUN mvn -B -q package -DskipTests")
                .containsPattern("java -jar embedserve\\.jar fetch \"\\$MODEL_ID\" --revision \"\\$MODEL_REVISION\"")
                .contains("HF_HUB_CACHE=/opt/model-cache/hub").contains("copy-model.sh manifest")
                .contains("--mount=type=secret,id=hf_token,env=HF_TOKEN")
                .doesNotContainIgnoringCase("python").doesNotContain("pip install");
        assertThat(download.indexOf("fetch \"$MODEL_ID\"")).isLessThan(download.indexOf("copy-model.sh manifest"));
        // A reranker, when asked for, is fetched into a cache of its own, the one copy-model.sh looks in
        // by default ($MODEL_SOURCE/rerank), before the manifest step describes both.
        assertThat(dockerfile).contains("ARG RERANK_MODEL_ID=\n").contains("ARG RERANK_MODEL_REVISION=main\n");
        assertThat(download).containsPattern("if \\[ -n \"\\$RERANK_MODEL_ID\" ]; then HF_HUB_CACHE=/opt/model-cache/rerank/hub"
                + " \\\\\\n\\s+java -jar embedserve\\.jar fetch \"\\$RERANK_MODEL_ID\" --revision \"\\$RERANK_MODEL_REVISION\"");
        assertThat(download.indexOf("fetch \"$RERANK_MODEL_ID\"")).isLessThan(download.indexOf("copy-model.sh manifest"));
        assertThat(read("docker/model-init/copy-model.sh")).contains("RERANK_MODEL_SOURCE=${RERANK_MODEL_SOURCE:-$MODEL_SOURCE/rerank}");
        String runtime = finalStage(dockerfile);
        assertThat(runtime).containsPattern("(?m)^USER 10001:10001$")
                .contains("ENTRYPOINT [\"/bin/sh\", \"/usr/local/bin/copy-model.sh\"]")
                .contains("HF_HUB_CACHE=/data/hf_cache/hub");
    }

    @Test
    void everyFileCopiedFromTheBuildContextExistsAndIsNotDockerIgnored() throws IOException {
        List<String> ignored = Files.readAllLines(Shell.PROJECT.resolve(".dockerignore"));
        for (String dockerfile : List.of("Dockerfile", "Dockerfile.model")) {
            Matcher copy = COPY_FROM_CONTEXT.matcher(read(dockerfile));
            while (copy.find()) {
                List<String> sources = new ArrayList<>(List.of(copy.group(1).trim().split("\\s+")));
                sources.remove(sources.size() - 1);
                for (String source : sources) {
                    assertThat(Shell.PROJECT.resolve(source)).as(dockerfile + " copies " + source).exists();
                    assertThat(ignored).as(source + " is excluded by .dockerignore")
                            .doesNotContain(source, source.split("/")[0] + "/");
                }
            }
        }
        assertThat(ignored).as("secrets never reach the build context").contains(".env");
    }

    @Test
    void djlWarmUpClassCompilesAgainstTheProjectsDjl(@TempDir Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();

        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path")), null,
                javac.getStandardFileManager(null, null, null)
                        .getJavaFileObjects(Shell.PROJECT.resolve("docker/app/WarmDjl.java").toFile())).call();

        assertThat(compiled).as(diagnostics.toString()).isTrue();
    }

    /** Runs the RUN instruction that starts with {@code start} (continuation lines joined) with sh in {@code dir}. */
    private static Shell.Result runStep(String dockerfile, String start, Path dir, String targetArch) throws IOException {
        int from = dockerfile.indexOf(start);
        assertThat(from).as(start).isNotNegative();
        StringBuilder step = new StringBuilder();
        for (String line : dockerfile.substring(from + "RUN ".length()).split("\n")) {
            // Docker joins a line ending in a backslash to the next one, as one shell command line.
            step.append(line.endsWith("\\") ? line.substring(0, line.length() - 1) + ' ' : line + '\n');
            if (!line.endsWith("\\")) {
                break;
            }
        }
        Path script = Files.writeString(dir.resolve("step.sh"), step.toString());
        Shell.Result result = Shell.run(Shell.builder(script, Map.of("TARGETARCH", targetArch)).directory(dir.toFile()));
        Files.delete(script);
        return result;
    }

    private static String finalStage(String dockerfile) {
        return dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    }

    private static String read(String file) throws IOException {
        return Files.readString(Shell.PROJECT.resolve(file));
    }
}
