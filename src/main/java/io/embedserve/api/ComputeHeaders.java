package io.embedserve.api;

import io.embedserve.inference.CrossEncoderInput;
import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.Embeddings;
import io.embedserve.inference.Scores;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;

/**
 * TEI's response headers for routes that run the model (router/src/lib.rs, {@code impl
 * From<ResponseMetadata> for HeaderMap}): what kind of hardware computed the answer, how much input
 * it took, and how long, split into tokenization, queue and inference time as the service
 * measured them ({@link Embeddings#timings()}, {@link Scores#timings()}).
 */
final class ComputeHeaders {

    private ComputeHeaders() {}

    static HttpHeaders of(List<EmbedInput> inputs, Embeddings result, long startNanos) {
        return of(characters(inputs), result.promptTokens(), result.timings(), startNanos);
    }

    /** For /rerank and /predict: TEI counts each pair's characters, the query once per pair. */
    static HttpHeaders ofScores(List<CrossEncoderInput> inputs, Scores result, long startNanos) {
        long characters = 0;
        for (CrossEncoderInput input : inputs) {
            if (input instanceof CrossEncoderInput.Pair pair) {
                characters += codePoints(pair.first()) + codePoints(pair.second());
            } else {
                characters += codePoints(((CrossEncoderInput.Text) input).text());
            }
        }
        return of(characters, result.promptTokens(), result.timings(), startNanos);
    }

    private static HttpHeaders of(long characters, int tokens, Embeddings.Timings timings, long startNanos) {
        String elapsedMillis = Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        HttpHeaders headers = new HttpHeaders();
        headers.set("x-compute-type", "cpu");
        headers.set("x-compute-time", elapsedMillis);
        headers.set("x-compute-characters", Long.toString(characters));
        headers.set("x-compute-tokens", Integer.toString(tokens));
        headers.set("x-total-time", elapsedMillis);
        headers.set("x-tokenization-time", millis(timings.tokenizationNanos()));
        headers.set("x-queue-time", millis(timings.queueNanos()));
        headers.set("x-inference-time", millis(timings.inferenceNanos()));
        return headers;
    }

    private static long codePoints(String text) {
        return text.codePointCount(0, text.length());
    }

    private static String millis(long nanos) {
        return Long.toString(TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    /** Code points of the texts, and one per token id, as TEI's count_chars. */
    private static long characters(List<EmbedInput> inputs) {
        long total = 0;
        for (EmbedInput input : inputs) {
            if (input instanceof EmbedInput.Text text) {
                total += text.text().codePointCount(0, text.text().length());
            } else if (input instanceof EmbedInput.TokenIds ids) {
                total += ids.ids().length;
            }
        }
        return total;
    }
}
