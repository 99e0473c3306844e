package io.embedserve.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which environment variables the service reads, worked out from its own configuration each time
 * a test asks, so the answer follows the code: every setting's variables as the settings records
 * declare them ({@link io.embedserve.config.Settings}), any {@code ${NAME}} placeholder of application.yml,
 * {@code System.getenv("NAME")} in the main sources, and every name that Spring's relaxed binding
 * maps onto a property the service binds (its {@code @ConfigurationProperties} records, the keys of
 * application.yml, and Spring Boot's own documented properties). The mapping is Spring's own
 * ({@link SystemEnvironmentPropertySource} through {@link ConfigurationPropertySource}), not a copy
 * of its rules.
 */
final class AppSettings {

    private static final Path APPLICATION_YML = Shell.PROJECT.resolve("src/main/resources/application.yml");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Pattern GETENV = Pattern.compile("getenv\\(\"([A-Z][A-Z0-9_]*)\"\\)");

    private final Set<String> placeholders;
    private final Set<String> getenv;
    private final Set<ConfigurationPropertyName> properties = new HashSet<>();
    private final Set<ConfigurationPropertyName> prefixes = new HashSet<>();
    private final Map<String, Object> applicationYml;

    private AppSettings() throws IOException {
        String yml = Files.readString(APPLICATION_YML);
        placeholders = matches(PLACEHOLDER, yml);
        io.embedserve.config.Settings.all().forEach(setting -> placeholders.addAll(setting.variables()));
        getenv = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Shell.PROJECT.resolve("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                getenv.addAll(matches(GETENV, Files.readString(source)));
            }
        }
        applicationYml = new Yaml(new SafeConstructor(new LoaderOptions())).load(yml);
        flatten("", applicationYml);
        configurationPropertiesRecords();
        springBootMetadata();
    }

    static AppSettings read() {
        try {
            return new AppSettings();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether setting this environment variable changes something the service reads. */
    boolean reads(String variable) {
        if (placeholders.contains(variable) || getenv.contains(variable)) {
            return true;
        }
        ConfigurationPropertySource environment = ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(variable, "x")));
        return properties.stream().anyMatch(name -> environment.getConfigurationProperty(name) != null)
                || prefixes.stream().anyMatch(
                        prefix -> environment.containsDescendantOf(prefix) == ConfigurationPropertyState.PRESENT);
    }

    /** A value of application.yml by its dotted path, as written there (placeholders unresolved). */
    Object applicationYml(String dottedPath) {
        Object node = applicationYml;
        for (String key : dottedPath.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    /**
     * The default a settings record gives one of its components ({@code @DefaultValue} on the
     * canonical constructor), read from the class itself so that a test follows a changed default.
     */
    static String recordDefault(Class<? extends Record> type, String component) {
        var components = type.getRecordComponents();
        Class<?>[] parameterTypes = java.util.Arrays.stream(components).map(c -> c.getType()).toArray(Class<?>[]::new);
        try {
            var parameters = type.getDeclaredConstructor(parameterTypes).getParameters();
            for (int i = 0; i < components.length; i++) {
                if (components[i].getName().equals(component)) {
                    var value = parameters[i].getAnnotation(org.springframework.boot.context.properties.bind.DefaultValue.class);
                    if (value == null) {
                        throw new IllegalStateException(type.getSimpleName() + "." + component + " has no @DefaultValue");
                    }
                    return String.join(",", value.value());
                }
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalArgumentException(type.getSimpleName() + " has no component " + component);
    }

    private void flatten(String prefix, Map<?, ?> map) {
        map.forEach((key, value) -> {
            String name = prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key;
            if (value instanceof Map<?, ?> child) {
                flatten(name, child);
            } else if (ConfigurationPropertyName.isValid(name)) {
                properties.add(ConfigurationPropertyName.of(name));
            }
        });
    }

    /** The service's settings records: each component under the record's prefix, in kebab case. */
    private void configurationPropertiesRecords() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.embedserve")) {
            Class<?> type = load(candidate.getBeanClassName());
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            if (type.isRecord()) {
                for (var component : type.getRecordComponents()) {
                    properties.add(ConfigurationPropertyName.of(prefix + "." + kebab(component.getName())));
                }
            } else {
                prefixes.add(ConfigurationPropertyName.of(prefix));
            }
        }
    }

    /** Spring Boot's documented properties (META-INF/spring-configuration-metadata.json of each jar). */
    private void springBootMetadata() throws IOException {
        ObjectMapper json = JsonMapper.builder().build();
        Enumeration<URL> files = getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
        for (URL file : Collections.list(files)) {
            try (InputStream in = file.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    String name = property.path("name").asString();
                    if (!ConfigurationPropertyName.isValid(name)) {
                        continue;
                    }
                    // A map-valued property (logging.level) is read under any key below it.
                    if (property.path("type").asString("").startsWith("java.util.Map")) {
                        prefixes.add(ConfigurationPropertyName.of(name));
                    } else {
                        properties.add(ConfigurationPropertyName.of(name));
                    }
                }
            }
        }
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static String kebab(String camel) {
        List<String> parts = new ArrayList<>(List.of(camel.split("(?=[A-Z])")));
        parts.replaceAll(String::toLowerCase);
        return String.join("-", parts);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
