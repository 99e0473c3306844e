package io.embedserve.config;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the engine runs.
 *
 * @param threads PyTorch intra-op threads (INFERENCE_THREADS); 0 means the JVM's
 *     availableProcessors, which follows the container's CPU quota
 * @param exitOnLoadFailure stop the process (exit 1) when the model cannot be loaded; tests turn
 *     it off to observe the failure
 */
@Validated
@ConfigurationProperties("embedserve.inference")
public record InferenceProperties(
        @DefaultValue("0") @Min(0) int threads,
        @DefaultValue("true") boolean exitOnLoadFailure) {}
