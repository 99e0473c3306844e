package io.embedserve.config;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The serving limits, with TEI's defaults and TEI's environment variable names.
 *
 * @param maxClientBatchSize inputs one request may carry; more is a 422 unless
 *     split-client-batches is on
 * @param maxBatchTokens the token budget of one model batch (longest length × count); at start the
 *     largest batch it and max-batch-requests allow is checked against the memory limit
 * @param maxBatchRequests inputs in one model batch
 * @param maxConcurrentRequests inputs admitted at once, counted per input as TEI does; more is a
 *     429 at once
 * @param payloadLimit the largest request body (a plain number is bytes); more is a 413
 * @param tokenizationWorkers tokenizations at once; unset: the CPUs the JVM sees (the container's
 *     CPU quota)
 * @param splitClientBatches accept requests over max-client-batch-size (they still batch by the
 *     limits above)
 * @param maxInputChars characters one input may have before it is tokenized: with truncation on a
 *     longer text is cut first (the vector does not change), with it off (and on /tokenize) it is a 422
 * @param requestTimeout the longest an admitted request waits for its tokens and vectors; then 503
 *     with Retry-After
 * @param maxRequestBytesInFlight request-body bytes read and held at once; a body that does not fit
 *     is a 429 before it is parsed. Unset: a sixty-fourth of the heap, at least one payload limit
 * @param autoTruncate the default of a request's "truncate": true cuts inputs at the model's
 *     max_seq_length, false refuses longer ones with a 422
 * @param defaultPromptName the prompt (from config_sentence_transformers.json) put before every
 *     input of a request that names none
 * @param defaultPrompt a prompt text put before every input of a request that names none (set
 *     this or the prompt's name, not both)
 */
@Validated
@ConfigurationProperties("embedserve.serving")
public record ServingProperties(
        @EnvironmentVariable("MAX_CLIENT_BATCH_SIZE") @DefaultValue("32") @Positive int maxClientBatchSize,
        @EnvironmentVariable("MAX_BATCH_TOKENS") @DefaultValue("16384") @Positive int maxBatchTokens,
        @EnvironmentVariable("MAX_BATCH_REQUESTS") @DefaultValue("64") @Positive int maxBatchRequests,
        @EnvironmentVariable("MAX_CONCURRENT_REQUESTS") @DefaultValue("512") @Positive int maxConcurrentRequests,
        @EnvironmentVariable("PAYLOAD_LIMIT") @DefaultValue("2MB") DataSize payloadLimit,
        @EnvironmentVariable("TOKENIZATION_WORKERS") @Positive Integer tokenizationWorkers,
        @EnvironmentVariable({"AUTO_SPLIT", "SPLIT_CLIENT_BATCHES"}) @DefaultValue("false") boolean splitClientBatches,
        @EnvironmentVariable("MAX_INPUT_CHARS") @DefaultValue("65536") @Positive int maxInputChars,
        @EnvironmentVariable("REQUEST_TIMEOUT") @DefaultValue("60s") Duration requestTimeout,
        @EnvironmentVariable("MAX_REQUEST_BYTES_IN_FLIGHT") DataSize maxRequestBytesInFlight,
        @EnvironmentVariable("AUTO_TRUNCATE") @DefaultValue("true") boolean autoTruncate,
        @EnvironmentVariable("DEFAULT_PROMPT_NAME") String defaultPromptName,
        @EnvironmentVariable("DEFAULT_PROMPT") String defaultPrompt) {

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
        defaultPromptName = defaultPromptName == null || defaultPromptName.isBlank() ? null : defaultPromptName.strip();
        defaultPrompt = defaultPrompt == null || defaultPrompt.isEmpty() ? null : defaultPrompt;
        if (defaultPromptName != null && defaultPrompt != null) {
            throw new IllegalArgumentException("Set DEFAULT_PROMPT_NAME or DEFAULT_PROMPT, not both: one names a prompt"
                    + " of the model's config_sentence_transformers.json, the other is the prompt's text.");
        }
    }
}
