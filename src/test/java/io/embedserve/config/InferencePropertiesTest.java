package io.embedserve.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.encode.ComputeDtype;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** DTYPE binds as the application binds it; a bad value stops start-up with a message. */
class InferencePropertiesTest {

    @EnableConfigurationProperties(InferenceProperties.class)
    static class Config {}

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withInitializer(new SettingsInitializer())
            .withUserConfiguration(Config.class);

    @Test
    void computesInFloat32ByDefault() {
        runner.run(context -> assertThat(context.getBean(InferenceProperties.class).computeDtype())
                .isEqualTo(ComputeDtype.FLOAT32));
    }

    @Test
    void readsTeisDtypeVariable() {
        runner.withPropertyValues("DTYPE=bfloat16").run(context ->
                assertThat(context.getBean(InferenceProperties.class).computeDtype()).isEqualTo(ComputeDtype.BFLOAT16));
    }

    @Test
    void anUnknownDtypeFailsStartUpNamingTheChoices() {
        runner.withPropertyValues("DTYPE=float16").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("DTYPE must be float32, bfloat16 or int8").hasMessageContaining("float16"));
    }

    @Test
    void int8IsRefusedWithTheMeasuredReason() {
        runner.withPropertyValues("DTYPE=int8").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("DTYPE=int8 is refused").hasMessageContaining("0.995")
                        .hasMessageContaining("bfloat16"));
    }
}
