package io.embedserve.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.StringUtils;

/**
 * Gives each setting ({@link Settings}) the value of its environment variables: the first one set
 * (non-blank) wins. The lookup happens when a property is read, as a placeholder would, so a
 * variable set late (a test's dynamic property) still counts. The source sits right after the
 * process environment: a property set explicitly (command line, system property, Spring's relaxed
 * environment name, a test property) wins over it, and application.yml, which holds no defaults for
 * these settings, loses to it. A setting that names a Spring Boot property of its own hands it its
 * value, or its default.
 */
class SettingsEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE = "embedserveEnvironmentVariables";

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20; // after application.yml is read (config data, +10)
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        VariablesSource source = new VariablesSource(environment, Settings.all());
        if (environment.getPropertySources().contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            environment.getPropertySources().addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
        } else {
            environment.getPropertySources().addLast(source);
        }
    }

    /** Settings' properties, each resolved from its variables at the moment it is read. */
    static final class VariablesSource extends EnumerablePropertySource<List<Settings.Setting>> {

        /**
         * Held beside, not as, the source object: Spring Boot expands a property source whose source is
         * an environment into that environment's sources, which include this one, without end.
         */
        private final ConfigurableEnvironment environment;
        private final Map<String, Settings.Setting> byProperty = new LinkedHashMap<>();
        private final Map<String, Settings.Setting> bySpringProperty = new LinkedHashMap<>();
        private final String[] names;

        VariablesSource(ConfigurableEnvironment environment, List<Settings.Setting> settings) {
            super(SOURCE, settings);
            this.environment = environment;
            for (Settings.Setting setting : settings) {
                if (!setting.variables().isEmpty()) {
                    byProperty.put(setting.property(), setting);
                }
                if (!setting.springProperty().isEmpty()) {
                    bySpringProperty.put(setting.springProperty(), setting);
                }
            }
            List<String> all = new ArrayList<>(byProperty.keySet());
            all.addAll(bySpringProperty.keySet());
            names = all.toArray(String[]::new);
        }

        @Override
        public Object getProperty(String name) {
            Settings.Setting setting = byProperty.get(name);
            if (setting != null) {
                return fromVariables(setting);
            }
            Settings.Setting mirrored = bySpringProperty.get(name);
            if (mirrored != null) {
                Object own = raw(mirrored.property());
                if (own == null) {
                    own = fromVariables(mirrored);
                }
                return own != null ? own : mirrored.defaultValue();
            }
            return null;
        }

        private String fromVariables(Settings.Setting setting) {
            for (String variable : setting.variables()) {
                Object value = raw(variable);
                if (value != null && StringUtils.hasText(value.toString())) {
                    return value.toString().strip();
                }
            }
            return null;
        }

        /**
         * A name looked up in every other source directly: going through the environment would come
         * back here through Spring's adapted sources, which list this source's names on every read.
         */
        private Object raw(String name) {
            for (PropertySource<?> source : environment.getPropertySources()) {
                if (source == this || source.getSource() instanceof Iterable<?>) {
                    continue; // this one, and Spring's view of all the others ("configurationProperties")
                }
                Object value = source.getProperty(name);
                if (value != null) {
                    return value;
                }
            }
            return null;
        }

        /** Every property this source can answer, whether or not its variables are set. */
        @Override
        public String[] getPropertyNames() {
            return names;
        }
    }
}
