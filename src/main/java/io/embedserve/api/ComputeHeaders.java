package io.embedserve.api;

import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.Embeddings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;

/**
 * TEI's response headers for routes that run the model (router/src/lib.rs, {@code impl
 * From<ResponseMetadata> for HeaderMap}): what kind of hardware computed the answer, how much input
 * it took, and how long, split into tokenization, queue and inference time as the service
 * measured them ({@link Embeddings#timings()}).
 */
final class ComputeHeaders {

    private ComputeHeaders() {}

    static HttpHeaders of(List<EmbedInput> inputs, Embeddings result, long startNanos) {
        String elapsedMillis = Long.toString(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        HttpHeaders headers = new HttpHeaders();
        headers.set("x-compute-type", "cpu");
        headers.set("x-compute-time", elapsedMillis);
        headers.set("x-compute-characters", Long.toString(characters(inputs)));
        headers.set("x-compute-tokens", Integer.toString(result.promptTokens()));
        headers.set("x-total-time", elapsedMillis);
        headers.set("x-tokenization-time", millis(result.timings().tokenizationNanos()));
        headers.set("x-queue-time", millis(result.timings().queueNanos()));
        headers.set("x-inference-time", millis(result.timings().inferenceNanos()));
        return headers;
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
