package io.embedserve.testsupport;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;

/**
 * A Micrometer {@link Tracer} on the OpenTelemetry SDK, as the service's tracing runs, whose ended
 * spans are kept in memory. Spans are exported as each one ends (SimpleSpanProcessor), so a test
 * reads them at once.
 */
public final class InMemoryTracing implements AutoCloseable {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider =
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final Tracer tracer = new OtelTracer(provider.get("embedserve-test"), new OtelCurrentTraceContext(),
            event -> { });

    public Tracer tracer() {
        return tracer;
    }

    /** The spans ended so far, in the order they ended. */
    public List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    /** The one ended span called {@code name}. */
    public SpanData span(String name) {
        List<SpanData> named = spans().stream().filter(s -> s.getName().equals(name)).toList();
        if (named.size() != 1) {
            throw new AssertionError(named.size() + " spans named " + name + " in " + names());
        }
        return named.get(0);
    }

    public List<String> names() {
        return spans().stream().map(SpanData::getName).toList();
    }

    @Override
    public void close() {
        provider.close();
    }
}
