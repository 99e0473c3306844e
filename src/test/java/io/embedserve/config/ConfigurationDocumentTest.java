package io.embedserve.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/** Every setting is declared once, documented from that declaration, and read from its variables. */
class ConfigurationDocumentTest {

    @Test
    void docsConfigurationListsEverySettingAsDeclared() throws IOException {
        String expected = ConfigurationDocument.render();
        Path committed = Path.of(ConfigurationDocument.PATH);
        String actual = Files.exists(committed) ? Files.readString(committed) : "";
        if (!actual.equals(expected)) {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "CONFIGURATION.md"), expected);
        }
        assertThat(actual).as("docs/CONFIGURATION.md is stale: copy target/CONFIGURATION.md over it").isEqualTo(expected);
    }

    @Test
    void everySettingsRecordOfTheServiceIsListed() throws ClassNotFoundException {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Set<Class<?>> found = new HashSet<>();
        for (var candidate : scanner.findCandidateComponents("io.embedserve")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            if (type.isRecord() && type.getAnnotation(ConfigurationProperties.class).value().startsWith("embedserve.")) {
                found.add(type);
            }
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(Settings.RECORDS);
    }

    @Test
    void applicationYmlHoldsNoSettingOrDefaultOfItsOwn() throws IOException {
        String yml = Files.readString(Path.of("src/main/resources/application.yml"));
        assertThat(yml).as("no placeholder reads a variable past the settings' declaration").doesNotContain("${");
        Set<String> keys = new HashSet<>();
        flatten("", new org.yaml.snakeyaml.Yaml().load(yml), keys);
        for (Settings.Setting setting : Settings.all()) {
            assertThat(keys).as("application.yml").doesNotContain(setting.property());
            if (!setting.springProperty().isEmpty()) {
                assertThat(keys).as("application.yml").doesNotContain(setting.springProperty());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object node, Set<String> keys) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value, keys));
        } else {
            keys.add(prefix);
        }
    }

    @Test
    void eachVariableGivesItsSettingItsValueAndAnExplicitPropertyWins() {
        for (Settings.Setting setting : Settings.all()) {
            for (String variable : setting.variables()) {
                StandardEnvironment environment = environment(Map.of(variable, "value-of-" + variable));
                assertThat(environment.getProperty(setting.property())).as(variable).isEqualTo("value-of-" + variable);
            }
        }
        StandardEnvironment both = environment(Map.of("MODEL_REVISION", "ours", "REVISION", "tei"));
        assertThat(both.getProperty("embedserve.model.revision")).as("our name before TEI's").isEqualTo("ours");
        StandardEnvironment explicit = environment(Map.of("REVISION", "tei", "embedserve.model.revision", "explicit"));
        assertThat(explicit.getProperty("embedserve.model.revision")).isEqualTo("explicit");
        StandardEnvironment blank = environment(Map.of("MODEL_REVISION", " ", "REVISION", "tei"));
        assertThat(blank.getProperty("embedserve.model.revision")).as("a blank variable is unset").isEqualTo("tei");
    }

    @Test
    void springsOwnPortsComeFromTheSettingOrItsDefault() {
        assertThat(environment(Map.of()).getProperty("server.port")).isEqualTo("8080");
        assertThat(environment(Map.of()).getProperty("management.server.port")).isEqualTo("9000");
        assertThat(environment(Map.of("PORT", "3000", "PROMETHEUS_PORT", "9100")).getProperty("server.port")).isEqualTo("3000");
        assertThat(environment(Map.of("PROMETHEUS_PORT", "9100")).getProperty("management.server.port")).isEqualTo("9100");
        assertThat(environment(Map.of("PORT", "3000", "server.port", "4000")).getProperty("server.port")).isEqualTo("4000");
    }

    static StandardEnvironment environment(Map<String, Object> values) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("test", values));
        new SettingsEnvironment().postProcessEnvironment(environment, null);
        return environment;
    }

}
