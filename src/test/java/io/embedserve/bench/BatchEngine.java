package io.embedserve.bench;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.embedserve.inference.SentenceModel;
import io.embedserve.inference.TruncationDirection;
import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.testsupport.OnnxReference;
import java.util.ArrayList;
import java.util.List;

/** Something that embeds one batch of a {@link Workload}; what it covers is in its name. */
interface BatchEngine {

    String name();

    /** Embeds the batch; the return value only keeps the work observable. */
    float run(Workload.Batch batch);

    /** Whether the engine computes exactly the workload's padded batches, so FLOP counts apply. */
    default boolean runsPaddedBatches() {
        return true;
    }

    /** EmbedServe's engine: one padded forward pass and pooling on pre-tokenized ids. */
    static BatchEngine djl(String name, SentenceModel model) {
        return engine(name, batch -> model.encodeBatch(batch.idList())[0][0]);
    }

    /** The same, tokenizing and truncating the texts first on the calling thread. */
    static BatchEngine djlWithTokenizer(SentenceModel model) {
        return engine("djl+tokenize", batch -> model.encodeBatch(tokenize(model, batch.texts()))[0][0]);
    }

    /** Only the tokenizer and truncation, on one thread: the share of the work that the service moves off the inference thread. */
    static BatchEngine tokenizeOnly(SentenceModel model) {
        return new BatchEngine() {
            public String name() {
                return "tokenize-only";
            }

            public float run(Workload.Batch batch) {
                return tokenize(model, batch.texts()).size();
            }

            public boolean runsPaddedBatches() {
                return false;
            }
        };
    }

    /** ONNX Runtime on the original ONNX export, same ids, same padded batches, pooling in Java. */
    static BatchEngine onnxRuntime(OnnxReference onnx) {
        return engine("onnxruntime", batch -> onnx.embedBatch(batch.ids())[0][0]);
    }

    /**
     * LangChain4j's in-process model as a user would call it: embedAll on the texts. It tokenizes
     * itself and runs one text per ONNX Runtime call, spread over its own executor, so it computes
     * no padding and its FLOP count differs.
     */
    static BatchEngine langChain4j(AllMiniLmL6V2EmbeddingModel model) {
        return new BatchEngine() {
            public String name() {
                return "langchain4j";
            }

            public float run(Workload.Batch batch) {
                List<TextSegment> segments = batch.texts().stream().map(TextSegment::from).toList();
                return model.embedAll(segments).content().get(0).vector()[0];
            }

            public boolean runsPaddedBatches() {
                return false;
            }
        };
    }

    private static List<long[]> tokenize(SentenceModel model, List<String> texts) {
        int maxLength = model.pipeline().maxSeqLength();
        List<long[]> ids = new ArrayList<>(texts.size());
        for (String text : texts) {
            ids.add(Truncation.truncate(model.tokenizer().encode(text), maxLength, TruncationDirection.RIGHT));
        }
        return ids;
    }

    private static BatchEngine engine(String name, java.util.function.ToDoubleFunction<Workload.Batch> run) {
        return new BatchEngine() {
            public String name() {
                return name;
            }

            public float run(Workload.Batch batch) {
                return (float) run.applyAsDouble(batch);
            }
        };
    }
}
