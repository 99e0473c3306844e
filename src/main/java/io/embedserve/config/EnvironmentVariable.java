package io.embedserve.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The environment variables a setting is read from, on the record component that declares it: the
 * first one set wins, so EmbedServe's own name comes first and TEI's name for the same setting
 * after it. Spring's relaxed name of the property (EMBEDSERVE_SERVING_MAX_BATCH_TOKENS, say) works
 * too, and wins over these. {@link SettingsEnvironment} does the mapping.
 */
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
public @interface EnvironmentVariable {

    /** The variables, in order of preference. */
    String[] value();

    /**
     * A property of Spring Boot's own that takes the same value (server.port for PORT): the setting
     * is declared here once, with its default, and Spring is told.
     */
    String springProperty() default "";
}
