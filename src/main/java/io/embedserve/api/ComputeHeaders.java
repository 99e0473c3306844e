package io.embedserve.api;

import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.Embeddings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;

/**
 * TEI's response headers for routes that run the model (router/src/lib.rs, {@code impl
 * From<ResponseMetadata> for HeaderMap}): what kind of hardware computed the answer, how much input
 * it took, and how long. TEI's split of the time into x-tokenization-time, x-queue-time and
 * x-inference-time needs numbers only the service has; when {@link Embeddings} carries them, add
 * them in {@link #of} and nowhere else.
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
        return headers;
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
