package io.embedserve.config;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * For an ApplicationContextRunner, which runs no environment post-processors: adds the settings'
 * environment variables as the application does (SettingsEnvironment), so that a test can set
 * DTYPE or MAX_CLIENT_BATCH_SIZE by the name users set.
 */
public final class SettingsInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        new SettingsEnvironment().postProcessEnvironment(context.getEnvironment(), null);
    }
}
