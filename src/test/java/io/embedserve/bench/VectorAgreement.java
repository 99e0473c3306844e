package io.embedserve.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whether two servers give the same vectors for the same texts, checked before anything is timed:
 * a throughput ratio between servers that compute different things means nothing. Each text goes
 * in its own {@code POST /embed}, as in the timed runs.
 */
final class VectorAgreement {

    /** How far a vector's length may be from 1: every server here answers TEI's normalized default. */
    static final double NORM_TOLERANCE = 1e-3;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The lowest cosine over the texts, the text it was seen on, and the largest deviation of a length from 1. */
    record Result(double minCosine, String worstText, double maxNormError, int texts) {}

    private VectorAgreement() {}

    static Result compare(Function<String, float[]> candidate, Function<String, float[]> reference, List<String> texts) {
        double min = Double.POSITIVE_INFINITY;
        String worst = "";
        double normError = 0;
        for (String text : texts) {
            float[] a = candidate.apply(text);
            float[] b = reference.apply(text);
            if (a.length != b.length) {
                throw new IllegalStateException("dimensions differ: " + a.length + " against " + b.length + " for " + text);
            }
            double cosine = dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
            if (cosine < min) {
                min = cosine;
                worst = text;
            }
            normError = Math.max(normError, Math.max(Math.abs(Math.sqrt(dot(a, a)) - 1), Math.abs(Math.sqrt(dot(b, b)) - 1)));
        }
        return new Result(min, worst, normError, texts.size());
    }

    /** The vector a server answers for one text, TEI's {@code [[...]]} unwrapped. */
    static Function<String, float[]> overHttp(URI server) {
        return text -> {
            HttpRequest request = HttpRequest.newBuilder(server.resolve("/embed")).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(RequestBodies.body(text))).build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(server + " answered " + response.statusCode() + ": " + response.body());
                }
                float[][] vectors = JSON.readValue(response.body(), float[][].class);
                if (vectors.length != 1) {
                    throw new IllegalStateException(server + " answered " + vectors.length + " vectors for one text");
                }
                return vectors[0];
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reach " + server, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
    }

    /**
     * About {@code count} texts spread over the corpus, each within {@code maxTokens}: longer texts
     * are cut at different lengths by the two implementations ({@link TokenLengths}) and differ by design.
     */
    static List<String> sample(List<String> corpus, TokenLengths lengths, int maxTokens, int count) {
        List<String> chosen = new ArrayList<>();
        int step = Math.max(1, corpus.size() / count);
        for (int i = 0; i < corpus.size() && chosen.size() < count; i += step) {
            if (lengths.untruncated().get(i) <= maxTokens) {
                chosen.add(corpus.get(i));
            }
        }
        return chosen;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
