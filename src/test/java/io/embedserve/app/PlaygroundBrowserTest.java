package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.MiniLmFixture;
import java.util.List;
import io.embedserve.testsupport.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.JsonNode;

/**
 * The playground in headless Chromium against the whole service with the real all-MiniLM-L6-v2
 * weights and a reranker beside them. all-MiniLM is an English model, so the sentences here are
 * English paraphrases; what is tested is that the page computes, orders and shows what the API
 * answers.
 */
@EnabledIf(value = "io.embedserve.testsupport.HeadlessChromium#runsHere",
        disabledReason = HeadlessChromium.MISSING)
class PlaygroundBrowserTest extends TwoModelBrowserTest {

    /** Four meanings, each said twice, mixed up. */
    static final List<String> SENTENCES = List.of(
            "A man is playing a guitar.",
            "The stock market fell sharply today.",
            "A cat is sleeping on the sofa.",
            "How do I bake bread at home?",
            "Someone is playing the guitar.",
            "Share prices dropped steeply this afternoon.",
            "What is a good recipe for homemade bread?",
            "The cat naps on the couch.");
    static final int[][] PARAPHRASES = {{0, 4}, {1, 5}, {2, 7}, {3, 6}};

    static final List<String> DOCUMENTS = List.of(
            "The train to Berlin is cancelled because of a strike.",
            "How to cook a Spanish omelette in twenty minutes.",
            "The museum is free to visit on Sundays.",
            "Daily exercise improves heart health.",
            "House prices rose by ten percent last year.");
    static final String QUERY = "Working out every day is good for your heart.";
    static final int QUERY_PARAPHRASE = 3;

    /** Fills the sentences, clicks Compare and waits for the new heat map. */
    void compare(List<String> sentences) {
        int before = renders("heatmap");
        fill("sentences", String.join("\n", sentences));
        browser().findElement(By.cssSelector("#similarity-form button[type=submit]")).click();
        await(d -> renders("heatmap") > before);
    }

    @Test
    void heatmapCellsAreTheCosinesTheSimilarityRouteGives() {
        openPlayground();
        compare(SENTENCES);
        int n = SENTENCES.size();
        double[][] cells = heatmapCells(n);
        for (int i = 0; i < n; i++) {
            JsonNode scores = similarity(SENTENCES.get(i), SENTENCES);
            for (int j = 0; j < n; j++) {
                assertThat(cells[i][j]).as("cell %d,%d", i, j).isCloseTo(scores.get(j).asDouble(), within(1e-4));
            }
        }
        assertThat(browser().findElement(By.id("similarity-timing")).getText())
                .contains("x-inference-time", "x-tokenization-time", "x-queue-time", "x-compute-tokens");
        chromium.screenshot("playground-similarity");
    }

    @Test
    void rowsPutEachParaphraseNextToItsPair() {
        openPlayground();
        compare(SENTENCES);
        List<Integer> rows = rowOrder();
        for (int[] pair : PARAPHRASES) {
            assertThat(Math.abs(rows.indexOf(pair[0]) - rows.indexOf(pair[1])))
                    .as("rows of \"%s\" and \"%s\" in %s", SENTENCES.get(pair[0]), SENTENCES.get(pair[1]), rows)
                    .isEqualTo(1);
        }
        List<String> key = browser().findElements(By.cssSelector("#heatmap-key li")).stream()
                .map(WebElement::getText).toList();
        assertThat(key).isEqualTo(rows.stream().map(SENTENCES::get).toList());
    }

    @Test
    void modelCardShowsWhatInfoSays() {
        openPlayground();
        JsonNode info = http.get("/info").json();
        assertThat(fact("model")).isEqualTo(info.get("model_id").asString());
        assertThat(fact("revision")).isEqualTo(info.get("model_sha").asString());
        assertThat(fact("pooling")).isEqualTo("mean");
        assertThat(fact("maxLength")).isEqualTo(MiniLmFixture.MAX_SEQ_LENGTH + " tokens");
        assertThat(fact("dimension")).isEqualTo(Integer.toString(MiniLmFixture.HIDDEN_SIZE));
    }

    String fact(String name) {
        return browser().findElement(By.cssSelector("[data-fact=" + name + "]")).getText();
    }

    @Test
    void searchRanksTheParaphraseOfTheQueryFirst() {
        openPlayground();
        browser().findElement(By.id("tab-search")).click();
        int before = renders("results");
        fill("documents", String.join("\n", DOCUMENTS));
        fill("query", QUERY);
        browser().findElement(By.cssSelector("#search-form button[type=submit]")).click();
        await(d -> renders("results") > before);

        List<WebElement> results = browser().findElements(By.cssSelector("#results li"));
        assertThat(results).hasSize(DOCUMENTS.size());
        assertThat(results.get(0).getDomAttribute("data-index")).isEqualTo(Integer.toString(QUERY_PARAPHRASE));
        assertThat(results.get(0).getText()).contains(DOCUMENTS.get(QUERY_PARAPHRASE));
        List<Double> scores = results.stream().map(r -> Double.parseDouble(r.getDomAttribute("data-score"))).toList();
        assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        chromium.screenshot("playground-search");
    }

    @Test
    void rerankTabRanksTheDocumentsAsTheRerankRouteDoes() {
        openPlayground();
        await(d -> renders("rerank-results") >= 1); // the prefilled documents, ranked once at start
        WebElement tab = browser().findElement(By.id("tab-rerank"));
        assertThat(tab.isDisplayed()).isTrue();
        tab.click();
        assertThat(browser().findElement(By.id("rerank-model")).getText()).contains(RerankServiceTest.RERANK_MODEL_ID);
        int before = renders("rerank-results");
        fill("rerank-documents", String.join("\n", DOCUMENTS));
        fill("rerank-query", QUERY);
        browser().findElement(By.cssSelector("#rerank-form button[type=submit]")).click();
        await(d -> renders("rerank-results") > before);

        StringBuilder body = new StringBuilder("{\"query\": ").append(HttpJson.quote(QUERY)).append(", \"texts\": [");
        for (int i = 0; i < DOCUMENTS.size(); i++) {
            body.append(i == 0 ? "" : ", ").append(HttpJson.quote(DOCUMENTS.get(i)));
        }
        JsonNode ranks = http.post("/rerank", body.append("]}").toString()).json();
        List<WebElement> results = browser().findElements(By.cssSelector("#rerank-results li"));
        assertThat(results).hasSize(DOCUMENTS.size());
        for (int i = 0; i < results.size(); i++) {
            int index = ranks.get(i).get("index").asInt();
            assertThat(results.get(i).getDomAttribute("data-index")).as("place %d", i).isEqualTo(Integer.toString(index));
            assertThat(Double.parseDouble(results.get(i).getDomAttribute("data-score")))
                    .isCloseTo(ranks.get(i).get("score").asDouble(), within(1e-6));
            assertThat(results.get(i).getText()).contains(DOCUMENTS.get(index));
        }
        assertThat(browser().findElement(By.id("rerank-timing")).getText())
                .contains("x-inference-time", "x-tokenization-time", "x-queue-time", "x-compute-tokens");
        chromium.screenshot("playground-rerank");
    }

    @Test
    void overLongSentenceWithTruncationOffShowsTheServicesMessage() {
        openPlayground();
        List<String> sentences = List.of("A short sentence.", "word ".repeat(400).trim());
        HttpJson.Response direct = http.post("/embed", "{\"inputs\": [" + HttpJson.quote(sentences.get(0)) + ", "
                + HttpJson.quote(sentences.get(1)) + "], \"normalize\": true, \"truncate\": false}");
        assertThat(direct.status()).isEqualTo(422);

        browser().findElement(By.id("truncate")).click();
        fill("sentences", String.join("\n", sentences));
        browser().findElement(By.cssSelector("#similarity-form button[type=submit]")).click();
        WebElement error = await(d -> {
            WebElement element = d.findElement(By.id("similarity-error"));
            return element.isDisplayed() ? element : null;
        });
        assertThat(error.getText()).contains(direct.json().get("error").asString());
    }

    @Test
    void pageHasNoConsoleErrorsLoadsNothingFromElsewhereAndWorksFromTheKeyboard() {
        chromium.severeLogEntries(); // drop what earlier tests left
        openPlayground();
        new Actions(browser()).moveToElement(browser().findElement(By.cssSelector("#heatmap rect.cell"))).perform();
        assertThat(browser().findElement(By.cssSelector("#heatmap .tooltip")).isDisplayed()).isTrue();

        WebElement map = browser().findElement(By.cssSelector("#heatmap svg"));
        map.sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_DOWN, Keys.ARROW_DOWN);
        assertThat(browser().findElement(By.id("heatmap-readout")).getText()).startsWith("3 × 2: ");
        browser().findElement(By.id("tab-similarity")).sendKeys(Keys.ARROW_RIGHT);
        assertThat(browser().findElement(By.id("panel-search")).isDisplayed()).isTrue();
        assertThat(browser().switchTo().activeElement().getDomAttribute("id")).isEqualTo("tab-search");

        assertThat(chromium.loadsFromOtherOrigins(origin())).isEmpty();
        assertThat(chromium.severeLogEntries()).isEmpty();
    }

    @Test
    void swaggerUiAtDocsListsTheRoutesAndLoadsNothingFromElsewhere() {
        chromium.severeLogEntries();
        browser().get(origin() + "/docs");
        await(d -> d.findElements(By.cssSelector(".opblock")).size() >= 8);
        assertThat(browser().getCurrentUrl()).startsWith(origin() + "/docs/");
        assertThat(chromium.loadsFromOtherOrigins(origin())).isEmpty();
        assertThat(chromium.severeLogEntries()).isEmpty();
        chromium.screenshot("docs");
    }

    /** cells[i][j] is the value of the cell of input sentences i and j, read from the DOM. */
    @SuppressWarnings("unchecked")
    double[][] heatmapCells(int n) {
        List<List<Object>> found = (List<List<Object>>) chromium.script("""
                return [...document.querySelectorAll('#heatmap rect.cell')]
                    .map(c => [c.dataset.i, c.dataset.j, c.dataset.value]);""");
        assertThat(found).as("cells of an %d×%d heat map", n, n).hasSize(n * n);
        double[][] cells = new double[n][n];
        for (List<Object> cell : found) {
            cells[Integer.parseInt((String) cell.get(0))][Integer.parseInt((String) cell.get(1))] =
                    Double.parseDouble((String) cell.get(2));
        }
        return cells;
    }

    /** The input indices of the heat map's rows, top to bottom. */
    List<Integer> rowOrder() {
        List<WebElement> firstColumn = browser().findElements(By.cssSelector("#heatmap rect.cell[data-col='0']"));
        Integer[] rows = new Integer[firstColumn.size()];
        for (WebElement cell : firstColumn) {
            rows[Integer.parseInt(cell.getDomAttribute("data-row"))] = Integer.parseInt(cell.getDomAttribute("data-i"));
        }
        return List.of(rows);
    }

    JsonNode similarity(String source, List<String> sentences) {
        StringBuilder json = new StringBuilder("{\"inputs\": {\"source_sentence\": ").append(HttpJson.quote(source))
                .append(", \"sentences\": [");
        for (int k = 0; k < sentences.size(); k++) {
            json.append(k == 0 ? "" : ", ").append(HttpJson.quote(sentences.get(k)));
        }
        HttpJson.Response response = http.post("/similarity", json.append("]}}").toString());
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }
}
