package io.embedserve.config;

import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * A settings record bound by Spring from an empty environment: exactly the defaults the service
 * starts with, read from their one declaration rather than copied into tests.
 */
final class BoundDefaults {

    private BoundDefaults() {}

    static ServingProperties serving() {
        return bind("embedserve.serving", ServingProperties.class, Map.of());
    }

    /** The record with {@code overrides} (property name without the prefix → value) on top of the defaults. */
    static <T> T bind(String prefix, Class<T> type, Map<String, Object> overrides) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        overrides.forEach((name, value) -> properties.put(prefix + "." + name, value));
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return new Binder(ConfigurationPropertySources.get(environment)).bindOrCreate(prefix, type);
    }
}
