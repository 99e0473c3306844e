package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.TorchRuntime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** What pom.xml promises about the JVMs it starts, read from the pom itself. */
class MavenBuildTest {

    @Test
    void unitAndIntegrationTestJvmsGetEveryNativeSettingFromTheOneFile() {
        for (String plugin : new String[] {"maven-surefire-plugin", "maven-failsafe-plugin"}) {
            Map<String, String> environment = environmentVariables(Pom.read().plugin(plugin));

            environment.remove("SE_OFFLINE"); // the browser test's own setting, not a native one
            assertThat(environment).as(plugin).containsExactlyEntriesOf(TorchRuntime.NATIVE_ENVIRONMENT);
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
