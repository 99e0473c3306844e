package io.embedserve.inference;

/**
 * Raw pooled vectors for a list of inputs, in input order, with where the time went.
 *
 * @param vectors one vector per input
 * @param queueNanos time the inputs waited for the inference worker (the longest of them)
 * @param inferenceNanos time spent in the forward passes that computed them
 */
public record PooledVectors(float[][] vectors, long queueNanos, long inferenceNanos) {}
