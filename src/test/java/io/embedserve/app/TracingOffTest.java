package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Without OTLP_ENDPOINT tracing is off: no tracer provider, no span processor (whose worker thread
 * would wake up for nothing), no exporter trying to reach a collector; spans are no-ops.
 */
class TracingOffTest extends RunningServiceTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    OpenTelemetry openTelemetry;

    @Test
    void noTracerProviderNoSpanProcessorAndNoExporterExist() {
        assertThat(context.getBeansOfType(SdkTracerProvider.class)).isEmpty();
        assertThat(context.getBeansOfType(SpanProcessor.class)).isEmpty();
        assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty();
    }

    @Test
    void spansAreNotRecorded() {
        Span span = openTelemetry.getTracer("probe").spanBuilder("probe").startSpan();
        assertThat(span.isRecording()).isFalse();
        assertThat(span.getSpanContext().isValid()).isFalse();
        span.end();
    }

    @Test
    void requestsStillCarryTheirIds() {
        assertThat(http.post("/embed", "{\"inputs\": \"untraced\"}").headers().firstValue("x-request-id")).isPresent();
    }
}
