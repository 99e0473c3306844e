package io.embedserve.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/CONFIGURATION.md as the settings declare it: one table row per setting, from
 * {@link Settings#all()} (names, variables, defaults) and the configuration metadata the build
 * generates from the records' javadoc (descriptions).
 */
final class ConfigurationDocument {

    static final String PATH = "docs/CONFIGURATION.md";

    private ConfigurationDocument() {}

    static String render() throws IOException {
        Map<String, String> descriptions = descriptions();
        StringBuilder doc = new StringBuilder();
        doc.append("# Configuration\n\n")
                .append("Every setting of EmbedServe, generated from the one place each is declared: the settings records\n")
                .append("that `io.embedserve.config.Settings` lists (name, environment variables, default and description\n")
                .append("together). A setting is read from the first of its environment variables that is set; TEI's name\n")
                .append("for the same setting comes after ours. Spring's name for the property works too and wins: a\n")
                .append("command-line argument (`--embedserve.serving.max-batch-tokens=8192`), a system property, or its\n")
                .append("relaxed environment variable (`EMBEDSERVE_SERVING_MAXBATCHTOKENS`). Invalid values stop the\n")
                .append("start with a message naming the setting. IDEs complete the properties from the generated\n")
                .append("`META-INF/spring-configuration-metadata.json`.\n\n")
                .append("This file is checked by `ConfigurationDocumentTest`; after changing a setting, run it and copy\n")
                .append("`target/CONFIGURATION.md` here.\n");
        String record = null;
        for (Settings.Setting setting : Settings.all()) {
            if (!setting.owner().getSimpleName().equals(record)) {
                record = setting.owner().getSimpleName();
                String prefix = setting.property().substring(0, setting.property().lastIndexOf('.'));
                doc.append("\n## `").append(prefix).append("` (").append(record).append(")\n\n")
                        .append("| environment variable | property | default | meaning |\n")
                        .append("| --- | --- | --- | --- |\n");
            }
            String variables = setting.variables().isEmpty() ? "`" + setting.relaxedVariable() + "`"
                    : String.join(", ", setting.variables().stream().map(v -> "`" + v + "`").toList());
            String defaultValue = setting.defaultValue() == null ? "unset" : "`" + setting.defaultValue() + "`";
            String description = descriptions.getOrDefault(setting.property(), "").replace("|", "\\|").replace("\n", " ");
            doc.append("| ").append(variables).append(" | `").append(setting.property()).append("` | ")
                    .append(defaultValue).append(" | ").append(description)
                    .append(setting.springProperty().isEmpty() ? "" : " (sets Spring's `" + setting.springProperty() + "`)")
                    .append(" |\n");
        }
        return doc.toString();
    }

    /** Descriptions by property, from the metadata the configuration processor wrote at compile time. */
    static Map<String, String> descriptions() throws IOException {
        Map<String, String> descriptions = new LinkedHashMap<>();
        try (InputStream in = Settings.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            if (in == null) {
                throw new IllegalStateException("no META-INF/spring-configuration-metadata.json on the classpath:"
                        + " the configuration processor did not run");
            }
            JsonNode metadata = JsonMapper.builder().build().readTree(in);
            for (JsonNode property : metadata.path("properties")) {
                descriptions.put(property.path("name").asString(), property.path("description").asString(""));
            }
        }
        return descriptions;
    }
}
