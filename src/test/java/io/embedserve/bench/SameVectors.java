package io.embedserve.bench;

import java.io.PrintStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Before anything is timed, every EmbedServe dtype is compared with LangChain4j's all-MiniLM-L6-v2
 * (the HTTP peer's answers, or LangChain4j in-process without the peer) and with EmbedServe float32,
 * text by text, one text per request: throughput ratios between servers that compute different
 * vectors would mean nothing.
 */
final class SameVectors {

    /**
     * The lowest cosine each dtype may show against LangChain4j's ONNX all-MiniLM-L6-v2, and against
     * the service's own float32. float32 computes the same function in another runtime; bfloat16's
     * bound is the service's own to float32 (0.9995), widened by float32's distance to ONNX.
     */
    private static final Map<String, Double> MIN_COSINE_TO_REFERENCE = Map.of("float32", 0.9999, "bfloat16", 0.999, "int8", 0.99);
    private static final Map<String, Double> MIN_COSINE_TO_FLOAT32 = Map.of("bfloat16", 0.9995, "int8", 0.995);

    private final Map<String, URI> servers;
    private final List<String> dtypes;
    private final LangChain4jInProcess inProcess;

    /** @param inProcess null when LangChain4j in-process is skipped */
    SameVectors(Map<String, URI> servers, List<String> dtypes, LangChain4jInProcess inProcess) {
        this.servers = servers;
        this.dtypes = dtypes;
        this.inProcess = inProcess;
    }

    /** Prints a table of the minimum cosines; true when every one is within its bound. */
    boolean check(List<String> sample, int maxTokens, PrintStream out) {
        Map<String, Function<String, float[]>> references = new LinkedHashMap<>();
        if (servers.containsKey(HttpResults.PEER)) {
            references.put(HttpResults.PEER, VectorAgreement.overHttp(servers.get(HttpResults.PEER)));
        } else if (inProcess != null) {
            references.put("LangChain4j in-process", inProcess::vector);
        }
        out.printf("## Same vectors? %d texts of the retrieval corpus within %d tokens, and the 12-token sentence, one per request%n%n",
                sample.size() - 1, maxTokens);
        MarkdownTable table = new MarkdownTable("<server", "<against", "min cosine", "bound", "max abs(norm - 1)", "<verdict");
        boolean agree = true;
        for (String dtype : dtypes) {
            Function<String, float[]> service = VectorAgreement.overHttp(servers.get(HttpResults.service(dtype)));
            Map<String, Function<String, float[]>> against = new LinkedHashMap<>(references);
            Map<String, Double> bounds = new LinkedHashMap<>();
            references.keySet().forEach(name -> bounds.put(name, MIN_COSINE_TO_REFERENCE.get(dtype)));
            if (!dtype.equals("float32") && dtypes.contains("float32")) {
                against.put(HttpResults.service("float32"), VectorAgreement.overHttp(servers.get(HttpResults.service("float32"))));
                bounds.put(HttpResults.service("float32"), MIN_COSINE_TO_FLOAT32.get(dtype));
            }
            for (Map.Entry<String, Double> bound : bounds.entrySet()) {
                VectorAgreement.Result result = VectorAgreement.compare(service, against.get(bound.getKey()), sample);
                boolean ok = result.minCosine() >= bound.getValue() && result.maxNormError() <= VectorAgreement.NORM_TOLERANCE;
                agree &= ok;
                table.row(HttpResults.service(dtype), bound.getKey(), String.format(Locale.ROOT, "%.6f", result.minCosine()),
                        "≥ " + bound.getValue(), String.format(Locale.ROOT, "%.1e", result.maxNormError()),
                        ok ? "agree" : "**DISAGREE** (worst text: " + abbreviate(result.worstText()) + ")");
            }
        }
        table.print(out);
        if (references.isEmpty()) {
            out.println("**Vectors NOT compared: no reference (--skip-peer and --skip-langchain4j).**");
        }
        out.println();
        return agree;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
