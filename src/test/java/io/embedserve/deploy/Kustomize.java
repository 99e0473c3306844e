package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RequiredTool;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the Kustomize overlays with {@code kubectl kustomize}, offline, as an operator would.
 * Tests that need it are skipped with the reason when kubectl is not installed (.ci/run installs it).
 */
final class Kustomize {

    static final Path KUBERNETES = Shell.PROJECT.resolve("deploy/kubernetes");

    private Kustomize() {}

    /** The overlay's rendered YAML stream. */
    static String render(String overlay) {
        return renderDirectory(KUBERNETES.resolve("overlays").resolve(overlay));
    }

    static String renderDirectory(Path directory) {
        RequiredTool.require(kubectl() != null, "kubectl is not installed: the Kustomize overlays cannot be rendered"
                + " (.ci/run installs it; `apt-get install kubectl`)");
        RequiredTool.require(bundledKustomizeMajor() >= 4, "kubectl's bundled kustomize is older than v4 (Debian's"
                + " kubernetes-client 1.20 has v2): it lacks components and `labels`; install a current kubectl");
        Shell.Result result = Shell.run(new ProcessBuilder(kubectl(), "kustomize", directory.toString())
                .directory(Shell.PROJECT.toFile()));
        assertThat(result.exitCode()).as("kubectl kustomize %s\n%s", directory, result).isZero();
        return result.stdout();
    }

    /** The major version of the kustomize built into kubectl, 0 when kubectl does not say (older than 1.21). */
    private static int bundledKustomizeMajor() {
        Shell.Result version = Shell.run(new ProcessBuilder(kubectl(), "version", "--client"));
        Matcher matcher = Pattern.compile("Kustomize Version: v(\\d+)").matcher(version.output());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    static String kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** The overlays and the compose file each one mirrors (same images, same model). */
    static final Map<String, String> COMPOSE_FILE_OF = Map.of(
            "production", "docker-compose.yml",
            "dev", "docker-compose.dev.yml");
}
