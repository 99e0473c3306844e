package io.embedserve.config;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The serving limits, with TEI's defaults. application.yml binds each one to TEI's environment
 * variable as well, so a TEI deployment's settings carry over unchanged:
 *
 * <pre>
 * embedserve.serving.max-client-batch-size    MAX_CLIENT_BATCH_SIZE    32
 * embedserve.serving.max-batch-tokens         MAX_BATCH_TOKENS         16384
 * embedserve.serving.max-batch-requests       MAX_BATCH_REQUESTS       64
 * embedserve.serving.max-concurrent-requests  MAX_CONCURRENT_REQUESTS  512
 * embedserve.serving.payload-limit            PAYLOAD_LIMIT            2MB (plain numbers are bytes, as in TEI)
 * embedserve.serving.tokenization-workers     TOKENIZATION_WORKERS     availableProcessors()
 * embedserve.serving.split-client-batches     AUTO_SPLIT or SPLIT_CLIENT_BATCHES  false
 * embedserve.serving.max-input-chars          MAX_INPUT_CHARS          65536 (ours, not TEI's)
 * embedserve.serving.request-timeout          REQUEST_TIMEOUT          60s   (ours, not TEI's)
 * </pre>
 *
 * @param maxClientBatchSize inputs one request may carry; more is a 422 unless
 *     {@code splitClientBatches} is on
 * @param maxBatchTokens the token budget of one model batch (longest length × count)
 * @param maxBatchRequests inputs in one model batch
 * @param maxConcurrentRequests inputs admitted at once (counted per input, as TEI does); more is
 *     a 429
 * @param payloadLimit the largest request body accepted; more is a 413
 * @param tokenizationWorkers threads that tokenize; defaults to the CPUs the JVM sees, which
 *     follows the container's CPU quota
 * @param splitClientBatches accept requests over {@code maxClientBatchSize} and let the service
 *     split them into several model batches
 * @param maxInputChars characters (UTF-16 units) one input may have before it is tokenized: more is a
 *     422 with truncation off; with truncation on, the text is cut to this many characters first,
 *     which never changes the vector as long as it is above max_seq_length × the longest token
 *     ({@code io.embedserve.inference.InputRules}). Bounds the tokenizer's memory per input.
 * @param requestTimeout the longest a request waits for its inputs to be computed; past it the
 *     inputs are withdrawn and the answer is 503 with Retry-After
 * @param maxRequestBytesInFlight request-body bytes read and held at once; a body that does not fit
 *     is a 429 before it is parsed. Unset: a sixty-fourth of the heap, at least one payload limit
 */
@Validated
@ConfigurationProperties("embedserve.serving")
public record ServingProperties(
        @DefaultValue("32") @Positive int maxClientBatchSize,
        @DefaultValue("16384") @Positive int maxBatchTokens,
        @DefaultValue("64") @Positive int maxBatchRequests,
        @DefaultValue("512") @Positive int maxConcurrentRequests,
        @DefaultValue("2MB") DataSize payloadLimit,
        @Positive Integer tokenizationWorkers,
        @DefaultValue("false") boolean splitClientBatches,
        @DefaultValue("65536") @Positive int maxInputChars,
        @DefaultValue("60s") Duration requestTimeout,
        DataSize maxRequestBytesInFlight) {

    public ServingProperties {
        // Checked here rather than by annotation: Bean Validation has no constraint for DataSize,
        // and a record cannot be half-built, so a bad value must stop the binding itself.
        if (payloadLimit == null || payloadLimit.toBytes() <= 0) {
            throw new IllegalArgumentException(
                    "embedserve.serving.payload-limit (PAYLOAD_LIMIT) must be a positive size such as"
                            + " 2MB or 2000000, got " + payloadLimit);
        }
        if (requestTimeout == null || requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "embedserve.serving.request-timeout (REQUEST_TIMEOUT) must be a positive duration such as"
                            + " 60s, got " + requestTimeout);
        }
        if (tokenizationWorkers == null) {
            tokenizationWorkers = Runtime.getRuntime().availableProcessors();
        }
    }

    /** The limits TEI ships with; handy for tests and tools that run without Spring. */
    public static ServingProperties defaults() {
        return new ServingProperties(32, 16384, 64, 512, DataSize.ofMegabytes(2), null, false, 65536,
                Duration.ofSeconds(60), null);
    }
}
