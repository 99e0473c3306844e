package io.embedserve.config;

import java.time.Duration;
import io.embedserve.inference.encode.ComputeDtype;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the engine runs.
 *
 * @param workers inference workers: threads that each run whole batches from the one queue, side
 *     by side; 0 means one per CPU the JVM sees (availableProcessors, which follows the container's
 *     CPU quota), or the CPUs divided by the threads when those are set
 * @param threads PyTorch intra-op threads of each worker while every worker is busy (a batch that is
 *     the only work runs on the first worker with all the workers' threads); 0 divides the CPUs the
 *     JVM sees among the workers
 * @param dtype the precision of the encoder's dense layers (DTYPE, TEI's name): float32 (exact),
 *     bfloat16, or int8, which is refused with the measured reason (ComputeDtype)
 * @param exitOnLoadFailure stop the process (exit 1) when the model cannot be loaded; tests turn
 *     it off to observe the failure
 * @param hangAfter a batch that runs longer than this (INFERENCE_HANG_AFTER) means its worker is
 *     stuck in native code: every waiting request is answered 503 and the process exits 1 so that
 *     it is restarted. The largest default batch takes seconds; raise it only for very slow CPUs.
 */
@Validated
@ConfigurationProperties("embedserve.inference")
public record InferenceProperties(
        @EnvironmentVariable("INFERENCE_WORKERS") @DefaultValue("0") @Min(0) int workers,
        @EnvironmentVariable("INFERENCE_THREADS") @DefaultValue("0") @Min(0) int threads,
        @EnvironmentVariable("DTYPE") @DefaultValue("float32") String dtype,
        @DefaultValue("true") boolean exitOnLoadFailure,
        @EnvironmentVariable("INFERENCE_HANG_AFTER") @DefaultValue("2m") Duration hangAfter) {

    public InferenceProperties {
        ComputeDtype parsed = ComputeDtype.fromName(dtype);
        if (parsed == null) {
            throw new IllegalArgumentException(
                    "DTYPE must be float32, bfloat16 or int8; got '" + dtype + "'.");
        }
        if (hangAfter == null || hangAfter.isZero() || hangAfter.isNegative()) {
            throw new IllegalArgumentException("INFERENCE_HANG_AFTER must be a positive duration such as 2m; got " + hangAfter);
        }
        if (parsed.refusal() != null) {
            throw new IllegalArgumentException("DTYPE=" + parsed.wireName() + " is refused: " + parsed.refusal());
        }
    }

    public ComputeDtype computeDtype() {
        return ComputeDtype.fromName(dtype);
    }

    /** Workers and threads per worker, with 0s resolved against the CPUs the JVM sees. */
    public WorkerLayout layout() {
        return WorkerLayout.resolve(workers, threads, Runtime.getRuntime().availableProcessors());
    }
}
