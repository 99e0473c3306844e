/**
 * Fetching a model from the Hugging Face Hub into the standard hub cache, before the service
 * starts: the {@code fetch} mode of the jar and of {@code ./embedserve fetch}. The service itself
 * never downloads; this package runs in its own short-lived process and leaves behind exactly the
 * layout {@link io.embedserve.model.ModelLocator} reads ({@code blobs/}, {@code snapshots/<commit>/}
 * links, {@code refs/<name>}).
 *
 * <p>It speaks the Hub's HTTP protocol with the JDK's {@code java.net.http} client and parses JSON
 * with Jackson; it imports nothing from Spring, DJL or the inference packages, so that fetching
 * never loads the native engine.
 */
package io.embedserve.model.hub;
