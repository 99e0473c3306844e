package io.embedserve.app;

import io.embedserve.testsupport.HeadlessChromium;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The whole service with the real all-MiniLM-L6-v2 weights and one headless Chromium per test
 * class; subclasses share one running service. {@link ApiContractStandIn} is in place, off until a
 * test switches it on.
 */
@Import(BrowserTest.StandIn.class)
abstract class BrowserTest extends RunningServiceTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class StandIn {
        @Bean
        ApiContractStandIn apiContractStandIn() {
            return new ApiContractStandIn();
        }
    }

    static HeadlessChromium chromium;

    @Autowired
    ApiContractStandIn standIn;

    /** Before the service starts, so that a machine without Chromium skips the class at once. */
    @BeforeAll
    static void startBrowser() {
        chromium = HeadlessChromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
            chromium = null;
        }
    }

    @AfterEach
    void answerAsTheServiceAgain() {
        standIn.reset();
        chromium.script("try { sessionStorage.clear(); } catch (notAPage) {}");
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    WebDriver browser() {
        return chromium.driver();
    }

    <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(browser(), Duration.ofSeconds(90)).until(condition);
    }

    /** Opens the page and waits for its first heat map and search of the prefilled texts. */
    void openPlayground() {
        browser().get(origin() + "/");
        await(d -> renders("results") >= 1);
    }

    /** How often the page has drawn the heat map ("heatmap") or the search results ("results"). */
    int renders(String id) {
        return Integer.parseInt(browser().findElement(By.id(id)).getDomAttribute("data-renders"));
    }

    void fill(String id, String text) {
        chromium.script("document.getElementById(arguments[0]).value = arguments[1];", id, text);
    }
}
