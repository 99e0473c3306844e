package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The page in the states a person meets before it can compute: API keys switched on (it asks for
 * a key, sends it as a bearer token, keeps it in the tab only) and a model still loading (it says
 * so and carries on once the model answers). {@link ApiContractStandIn} plays the service.
 */
@EnabledIf(value = "io.embedserve.testsupport.HeadlessChromium#installed",
        disabledReason = HeadlessChromium.MISSING)
class PlaygroundAccessTest extends BrowserTest {

    @Test
    void asksForAKeyAfter401AndKeepsItInThisTabOnly() {
        standIn.requireKey("s3cret");
        browser().get(origin() + "/");
        enterKey("wrong");
        await(d -> d.findElement(By.id("key-reason")).getText().contains("refused"));
        enterKey("s3cret");
        await(d -> renders("results") >= 1);

        assertThat(standIn.authorizations()).contains("none", "Bearer wrong", "Bearer s3cret");
        assertThat(standIn.authorizations().get(standIn.authorizations().size() - 1)).isEqualTo("Bearer s3cret");
        assertThat(chromium.script("return sessionStorage.getItem('embedserve.apiKey');")).isEqualTo("s3cret");
        assertThat(chromium.script("return localStorage.length;")).isEqualTo(0L);
    }

    @Test
    void closingTheKeyDialogSaysWhyNothingWorks() {
        standIn.requireKey("s3cret");
        browser().get(origin() + "/");
        keyInput().sendKeys(Keys.ESCAPE);
        await(d -> d.findElement(By.id("model-status")).getText().contains("needs an API key"));
        assertThat(browser().findElement(By.id("key-dialog")).isDisplayed()).isFalse();
    }

    /** Types a key into the dialog once it is open; the page then retries with it. */
    void enterKey(String key) {
        keyInput().sendKeys(key, Keys.ENTER);
    }

    WebElement keyInput() {
        return await(d -> {
            WebElement input = d.findElement(By.id("key"));
            return input.isDisplayed() ? input : null;
        });
    }

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
