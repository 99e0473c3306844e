package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.test.context.TestPropertySource;

/**
 * The page against the service's real API-key check (API_KEY set): it is served without a key,
 * asks for one after the first 401, says when a key is refused, computes once the right key is
 * sent as a bearer token, and keeps the key in this tab only. Swagger UI at /docs works without it.
 */
@EnabledIf(value = "io.embedserve.testsupport.HeadlessChromium#runsHere",
        disabledReason = HeadlessChromium.MISSING)
@TestPropertySource(properties = "embedserve.api-keys.key=" + PlaygroundApiKeyTest.KEY)
class PlaygroundApiKeyTest extends BrowserTest {

    static final String KEY = "s3cret-playground-key";

    @Test
    void asksForAKeyAfter401AndKeepsItInThisTabOnly() {
        browser().get(origin() + "/");
        enterKey("wrong");
        await(d -> d.findElement(By.id("key-reason")).getText().contains("refused"));
        enterKey(KEY);
        await(d -> renders("results") >= 1);

        assertThat(renders("heatmap")).isGreaterThanOrEqualTo(1);
        assertThat(chromium.script("return sessionStorage.getItem('embedserve.apiKey');")).isEqualTo(KEY);
        assertThat(chromium.script("return localStorage.length;")).isEqualTo(0L);
        // This service runs no reranker, so the page offers no Rerank tab.
        assertThat(browser().findElement(By.id("tab-rerank")).isDisplayed()).isFalse();
    }

    @Test
    void closingTheKeyDialogSaysWhyNothingWorks() {
        browser().get(origin() + "/");
        keyInput().sendKeys(Keys.ESCAPE);
        await(d -> d.findElement(By.id("model-status")).getText().contains("needs an API key"));
        assertThat(browser().findElement(By.id("key-dialog")).isDisplayed()).isFalse();
    }

    @Test
    void swaggerUiAtDocsLoadsItsSettingsAndTheRoutesWithoutTheKey() {
        chromium.severeLogEntries(); // drop what earlier tests left
        browser().get(origin() + "/docs");
        await(d -> d.findElements(By.cssSelector(".opblock")).size() >= 8);

        assertThat(browser().findElements(By.cssSelector(".opblock-summary-path")).stream()
                .map(WebElement::getText).toList()).contains("/embed", "/v1/embeddings", "/similarity");
        assertThat(chromium.severeLogEntries()).as("nothing the page loaded was refused").isEmpty();
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
}
