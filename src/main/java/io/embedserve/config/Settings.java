package io.embedserve.config;

import io.embedserve.cache.CacheProperties;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every setting of the service, in one place: the records below declare each one — its property
 * name, its environment variables ({@link EnvironmentVariable}), its default ({@link DefaultValue})
 * and its description (the record's javadoc, which the build turns into Spring Boot's configuration
 * metadata for IDEs). Nothing else holds a default: application.yml only configures Spring itself,
 * and docs/CONFIGURATION.md is checked against this list.
 */
public final class Settings {

    /** The settings records, in the order docs/CONFIGURATION.md lists them. */
    public static final List<Class<? extends Record>> RECORDS = List.of(
            ModelProperties.class,
            RerankModelProperties.class,
            EndpointProperties.class,
            ServingProperties.class,
            InferenceProperties.class,
            ApiKeyProperties.class,
            ObservabilityProperties.class,
            RequestBodyProperties.class,
            CacheProperties.class);

    private Settings() {}

    /**
     * One setting.
     *
     * @param property its Spring property name
     * @param variables its environment variables, preferred first (empty: only the relaxed name)
     * @param springProperty Spring Boot's own property that takes the same value, or empty
     * @param defaultValue its default as written, or null when it has none (or one computed at start)
     * @param owner the record that declares it
     * @param component the record component
     */
    public record Setting(String property, List<String> variables, String springProperty, String defaultValue,
            Class<? extends Record> owner, String component) {

        /** The environment variable Spring's relaxed binding maps to the property. */
        public String relaxedVariable() {
            return property.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT);
        }
    }

    /** Every setting of every record, in declaration order. */
    public static List<Setting> all() {
        List<Setting> settings = new ArrayList<>();
        for (Class<? extends Record> type : RECORDS) {
            ConfigurationProperties properties = type.getAnnotation(ConfigurationProperties.class);
            if (properties == null) {
                throw new IllegalStateException(type + " is listed as settings but is not @ConfigurationProperties");
            }
            String prefix = properties.value().isEmpty() ? properties.prefix() : properties.value();
            RecordComponent[] components = type.getRecordComponents();
            Parameter[] parameters = canonicalConstructor(type, components).getParameters();
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                EnvironmentVariable variable = component.getAnnotation(EnvironmentVariable.class);
                // @DefaultValue is a constructor-parameter annotation: read it where binding does.
                DefaultValue defaultValue = parameters[i].getAnnotation(DefaultValue.class);
                settings.add(new Setting(prefix + "." + kebab(component.getName()),
                        variable == null ? List.of() : List.of(variable.value()),
                        variable == null ? "" : variable.springProperty(),
                        defaultValue == null || defaultValue.value().length == 0 ? null : String.join(",", defaultValue.value()),
                        type, component.getName()));
            }
        }
        return settings;
    }

    private static Constructor<?> canonicalConstructor(Class<? extends Record> type, RecordComponent[] components) {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            return type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
    }

    static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
