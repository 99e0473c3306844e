package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RequiredTool;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which PyTorch native build the jar carries on each developer platform, decided by Maven itself:
 * Maven runs on pom.xml in a JVM told it is another OS and CPU ({@code os.name} and {@code os.arch},
 * as those JDKs report them), and says which classifier the profiles chose. Only x86-64 Linux can
 * run the result here; that the three classifiers exist is checked by .ci/run against the repository.
 */
class PlatformProfilesTest {

    private static final String EVALUATE = "org.apache.maven.plugins:maven-help-plugin:3.5.1:evaluate";

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource({
        "Linux, amd64, linux-x86_64",
        "Linux, aarch64, linux-aarch64",
        "Mac OS X, aarch64, osx-aarch64",
    })
    void eachDeveloperPlatformGetsItsOwnLibtorch(String osName, String osArch, String classifier) {
        Shell.Result result = maven(osName, osArch, EVALUATE, "-Dexpression=pytorch.native.classifier", "-DforceStdout");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        // Maven 3.8 colours even in batch mode; the value is what is left without the escapes.
        assertThat(result.stdout().replaceAll("\u001B\\[[;\\d]*m", "").strip()).isEqualTo(classifier);
    }

    @Test
    void aPlatformWithoutAPyTorchBuildStopsTheBuildWithWhatToDo() {
        Shell.Result result = maven("Mac OS X", "x86_64", "validate");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).contains("this is Mac OS X on x86_64")
                .contains("-Dpytorch.native.classifier=linux-x86_64, linux-aarch64 or osx-aarch64");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "jnilib/linux-x86_64/cpu/libdjl_torch.so",
        "jnilib/linux-aarch64/cpu/libdjl_torch.so",
        "jnilib/osx-aarch64/cpu/libdjl_torch.dylib",
    })
    void theOneJniBridgeJarCarriesEachPlatformsLibrary(String library) {
        // DJL's pytorch-jni has no classifier: the same jar serves every platform the profiles choose.
        assertThat(getClass().getClassLoader().getResource(library)).as(library).isNotNull();
    }

    /** Runs Maven on the project's pom, non-recursively, in a JVM with this OS name and architecture. */
    private static Shell.Result maven(String osName, String osArch, String... goals) {
        Path mvn = Stream.of(System.getenv("PATH").split(File.pathSeparator)).map(dir -> Path.of(dir, "mvn"))
                .filter(Files::isExecutable).findFirst().orElse(null);
        RequiredTool.require(mvn != null, "mvn is not on PATH: the profiles can only be evaluated by Maven");
        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B", "-q", "-N", "-Dstyle.color=never"));
        command.addAll(List.of(goals));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Shell.PROJECT.toFile());
        // Read by the JVM at start, before Maven's profile activation reads the platform; C1 alone
        // halves the time of so short a run.
        builder.environment().put("JAVA_TOOL_OPTIONS",
                "-Dos.name='" + osName + "' -Dos.arch=" + osArch + " -XX:TieredStopAtLevel=1");
        builder.environment().remove("MAVEN_OPTS");
        builder.environment().putAll(Map.of("JAVA_HOME", System.getProperty("java.home")));
        return Shell.run(builder);
    }
}
