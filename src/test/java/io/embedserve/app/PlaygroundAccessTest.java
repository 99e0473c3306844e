package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;

/**
 * The page while the model is still loading: it says so and carries on once the model answers.
 * {@link ApiContractStandIn} plays the loading service. API keys: {@link PlaygroundApiKeyTest}. It
 * shares {@link PlaygroundBrowserTest}'s running service.
 */
@EnabledIf(value = "io.embedserve.testsupport.HeadlessChromium#runsHere",
        disabledReason = HeadlessChromium.MISSING)
class PlaygroundAccessTest extends TwoModelBrowserTest {

    @Test
    void saysTheModelIsLoadingAndCarriesOnOnceItIsReady() {
        standIn.loading(true);
        browser().get(origin() + "/");
        await(d -> d.findElement(By.id("model-status")).getText().contains("still loading"));
        assertThat(renders("heatmap")).isZero();
        standIn.loading(false);
        await(d -> renders("heatmap") >= 1);
        assertThat(browser().findElement(By.id("model-status")).getText()).isEqualTo("Ready.");
    }
}
