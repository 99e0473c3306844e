package io.embedserve.inference;

import static io.embedserve.inference.CheckpointValidationTest.loadFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.SafetensorsWriter;
import io.embedserve.testsupport.TinyEncoderModel;
import io.embedserve.testsupport.TinyEncoderModel.IntegerTensor;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints saved by transformers before 4.31 (most sentence-transformers models on the Hub, e.g.
 * all-MiniLM-L6-v2 with an I64 [1, 512] {@code embeddings.position_ids}) carry integer buffers
 * beside the weights; newer ones may carry {@code embeddings.token_type_ids}. They load, are checked
 * for what transformers writes, and leave the vectors unchanged.
 */
class CheckpointBuffersTest {

    static final int POSITIONS = TinyEncoderModel.MAX_POSITIONS;
    static final List<String> SENTENCES = List.of("hello world", "the cat sleeps on the mat");

    @TempDir
    Path dir;

    float[][] embed(TinyEncoderModel tiny, String prefix, Path where) {
        tiny.writeTo(where, "mean", false, 32, prefix, SafetensorsWriter.Dtype.F32);
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(where, "t", "local"), null)) {
            return model.encodeBatch(SENTENCES.stream().map(s -> model.tokenizer().encode(s).ids()).toList());
        }
    }

    @Test
    void loadsTheI64PositionIdBufferHubCheckpointsHoldAndComputesTheSameVectors() {
        TinyEncoderModel plain = TinyEncoderModel.xlmRoberta(5);
        plain.integerTensors.clear();
        float[][] without = embed(plain, "", dir.resolve("plain"));
        TinyEncoderModel withBuffer = TinyEncoderModel.xlmRoberta(5); // Hub-shaped: holds the buffer
        assertThat(withBuffer.integerTensors).containsKey("embeddings.position_ids");
        assertThat(embed(withBuffer, "", dir.resolve("buffer"))).isDeepEqualTo(without);
    }

    @Test
    void loadsBuffersUnderTheFamilyPrefixAndInI32() {
        TinyEncoderModel tiny = TinyEncoderModel.xlmRoberta(5);
        tiny.integerTensors.put("embeddings.position_ids",
                new IntegerTensor("I32", new long[] {1, POSITIONS}, LongStream.range(0, POSITIONS).toArray()));
        tiny.integerTensors.put("embeddings.token_type_ids",
                new IntegerTensor("I64", new long[] {1, POSITIONS}, new long[POSITIONS]));
        assertThat(embed(tiny, "roberta.", dir)).hasNumberOfRows(SENTENCES.size());
    }

    @Test
    void rejectsAPositionIdBufferThatIsNotAnArange() {
        long[] shuffled = LongStream.range(0, POSITIONS).toArray();
        shuffled[7] = 3;
        TinyEncoderModel tiny = TinyEncoderModel.bert(5);
        tiny.integerTensors.put("embeddings.position_ids", new IntegerTensor("I64", new long[] {1, POSITIONS}, shuffled));
        tiny.writeTo(dir);
        assertThatThrownBy(() -> { throw loadFailure(dir); })
                .hasMessageContaining("embeddings.position_ids").hasMessageContaining("index 7")
                .hasMessageContaining(dir.resolve("model.safetensors").toString());
    }

    @Test
    void rejectsATokenTypeIdBufferThatIsNotZero() {
        long[] ones = new long[POSITIONS];
        java.util.Arrays.fill(ones, 1);
        TinyEncoderModel tiny = TinyEncoderModel.bert(5);
        tiny.integerTensors.put("embeddings.token_type_ids", new IntegerTensor("I64", new long[] {1, POSITIONS}, ones));
        tiny.writeTo(dir);
        assertThatThrownBy(() -> { throw loadFailure(dir); })
                .hasMessageContaining("embeddings.token_type_ids").hasMessageContaining("all zeros");
    }

    @Test
    void stillRejectsAnIntegerTensorNoModuleUses() {
        TinyEncoderModel tiny = TinyEncoderModel.bert(5);
        tiny.integerTensors.put("embeddings.word_ids", IntegerTensor.positionIds(4));
        tiny.writeTo(dir);
        assertThatThrownBy(() -> { throw loadFailure(dir); })
                .hasMessageContaining("does not use").hasMessageContaining("embeddings.word_ids");
    }

    @Test
    void rejectsAWeightStoredAsIntegers() {
        TinyEncoderModel tiny = TinyEncoderModel.bert(5);
        tiny.weights.remove("embeddings.LayerNorm.bias");
        tiny.shapes.remove("embeddings.LayerNorm.bias");
        tiny.integerTensors.put("embeddings.LayerNorm.bias",
                new IntegerTensor("I64", new long[] {TinyEncoderModel.HIDDEN}, new long[TinyEncoderModel.HIDDEN]));
        tiny.writeTo(dir);
        assertThatThrownBy(() -> { throw loadFailure(dir); })
                .hasMessageContaining("embeddings.LayerNorm.bias").hasMessageContaining("dtype I64");
    }
}
