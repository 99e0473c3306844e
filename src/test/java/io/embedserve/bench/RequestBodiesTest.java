package io.embedserve.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RetrievalCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The file wrk cycles through must hand every text to the servers exactly as the corpus holds it. */
class RequestBodiesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void everyTextSurvivesTheRoundTripOnItsOwnLine() throws IOException {
        List<String> texts = List.of(
                "He said \"stop\" and left.",
                "C:\\Users\\bench\\file.txt and a trailing backslash \\",
                "two\nlines\r\nand a\ttab, a bell \u0007 and a NUL \u0000",
                "Привет, мир. 你好，世界。 مرحبا بالعالم. नमस्ते दुनिया. 안녕하세요.",
                "emoji outside the basic plane: \uD83D\uDE80 \uD83E\uDDEC, and U+2028 \u2028 here",
                "{\"inputs\": \"json inside a text\"}");
        Path file = RequestBodies.write(texts, dir.resolve("bodies.jsonl"));

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);

        assertThat(lines).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(JSON.readTree(lines.get(i)).get("inputs").asString()).isEqualTo(texts.get(i));
            assertThat(JSON.readTree(lines.get(i)).propertyNames()).containsExactly("inputs");
        }
    }

    @Test
    void theRetrievalCorpusIsWrittenWholeAndInOrder() throws IOException {
        List<String> corpus = RetrievalCorpus.texts(2000, 42);
        Path file = RequestBodies.write(corpus, dir.resolve("retrieval.jsonl"));

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);

        assertThat(lines).hasSize(2000);
        assertThat(lines.stream().map(l -> JSON.readTree(l).get("inputs").asString()).toList()).isEqualTo(corpus);
    }
}
