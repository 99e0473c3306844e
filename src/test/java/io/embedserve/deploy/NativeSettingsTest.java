package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.TorchRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The native settings have one source, native-environment.properties. The copies that must exist
 * (the test JVMs' environment in pom.xml; the Dockerfile's ENV, checked by DockerfilesTest) equal
 * it, and no script carries a value of its own.
 */
class NativeSettingsTest {

    @Test
    void unitAndIntegrationTestJvmsGetEveryNativeSettingFromTheOneFile() {
        for (String plugin : new String[] {"maven-surefire-plugin", "maven-failsafe-plugin"}) {
            Map<String, String> environment = environmentVariables(Pom.read().plugin(plugin));

            environment.remove("SE_OFFLINE"); // the browser test's own setting, not a native one
            assertThat(environment).as(plugin).containsExactlyEntriesOf(TorchRuntime.NATIVE_ENVIRONMENT);
        }
    }

    @Test
    void noScriptSetsANativeSettingToAValueOfItsOwn() throws IOException {
        // NAME=<literal>, as in `GOMP_SPINCOUNT=30000 java ...` or `export NAME=...`; reading
        // the file (`export "$setting"`) and mentioning the name are fine.
        Pattern literal = Pattern.compile("\\b(" + String.join("|", TorchRuntime.NATIVE_ENVIRONMENT.keySet())
                + ")=[\"']?[A-Za-z0-9]");
        for (Path script : scripts()) {
            List<String> lines = Files.readAllLines(script);
            for (int i = 0; i < lines.size(); i++) {
                assertThat(literal.matcher(lines.get(i)).find())
                        .as("%s:%d sets a native setting itself: %s", Shell.PROJECT.relativize(script), i + 1, lines.get(i))
                        .isFalse();
            }
        }
    }

    private static List<Path> scripts() throws IOException {
        try (Stream<Path> walk = Files.walk(Shell.PROJECT)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(Shell.PROJECT.resolve("target")) && !p.startsWith(Shell.PROJECT.resolve(".git")))
                    .filter(p -> p.toString().endsWith(".sh") || p.equals(Shell.PROJECT.resolve("embedserve"))
                            || p.equals(Shell.PROJECT.resolve(".ci/run")))
                    .toList();
        }
    }

    private static Map<String, String> environmentVariables(Element plugin) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (Element variable : Pom.children(Pom.child(Pom.child(plugin, "configuration"), "environmentVariables"))) {
            variables.put(variable.getTagName(), variable.getTextContent().trim());
        }
        return variables;
    }
}
