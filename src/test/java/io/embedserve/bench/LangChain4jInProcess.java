package io.embedserve.bench;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.time.Duration;
import java.util.List;

/**
 * What a JVM team gets by embedding in-process instead of calling a service: LangChain4j's
 * all-MiniLM-L6-v2, called the two ways such a team would call it. Both cycle through the texts
 * in order for a given time and return texts per second.
 */
final class LangChain4jInProcess {

    /** A chunk size a JVM team would pick; LangChain4j runs one text per ONNX call on its executor anyway. */
    static final int CHUNK = 32;

    private final AllMiniLmL6V2EmbeddingModel model;

    LangChain4jInProcess(AllMiniLmL6V2EmbeddingModel model) {
        this.model = model;
    }

    LangChain4jInProcess() {
        this(new AllMiniLmL6V2EmbeddingModel());
    }

    /** One text's vector, at unit length as the servers answer it. */
    float[] vector(String text) {
        var embedding = model.embed(text).content();
        embedding.normalize();
        return embedding.vector();
    }

    /** {@code embedAll} on chunks of {@link #CHUNK} texts. */
    double embedAllRate(List<String> texts, Duration duration) {
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        long done = 0;
        for (int from = 0; System.nanoTime() < end; from = (from + CHUNK) % texts.size()) {
            List<TextSegment> chunk = texts.subList(from, Math.min(texts.size(), from + CHUNK)).stream()
                    .map(TextSegment::from).toList();
            done += model.embedAll(chunk).content().size();
        }
        return done / ((System.nanoTime() - started) / 1e9);
    }

    /** {@code embed(text)}, one text after the other on one thread, as a request handler calls it. */
    double sequentialEmbedRate(List<String> texts, Duration duration) {
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        long done = 0;
        for (int next = 0; System.nanoTime() < end; next = (next + 1) % texts.size()) {
            model.embed(texts.get(next));
            done++;
        }
        return done / ((System.nanoTime() - started) / 1e9);
    }
}
