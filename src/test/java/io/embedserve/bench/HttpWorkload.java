package io.embedserve.bench;

import io.embedserve.testsupport.RetrievalCorpus;
import java.util.List;
import java.util.Set;

/** What bench/http.sh sends, one text per request: the retrieval corpus, or one 12-token sentence over and over. */
record HttpWorkload(String name, List<String> texts, String description) {

    static final Set<String> NAMES = Set.of("retrieval", "twelve");

    static HttpWorkload of(String name) {
        return switch (name) {
            case "retrieval" -> new HttpWorkload(name, RetrievalCorpus.texts(2000, 42),
                    "RetrievalCorpus.texts(2000, 42): 2000 texts, English and ten other languages, one per request");
            case "twelve" -> new HttpWorkload(name, List.of(EngineBenchmark.TWELVE_TOKENS),
                    "one sentence of 12 tokens, \"" + EngineBenchmark.TWELVE_TOKENS + "\", in every request");
            default -> throw new IllegalArgumentException("no workload " + name + "; there are " + NAMES);
        };
    }
}
