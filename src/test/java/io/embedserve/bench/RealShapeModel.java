package io.embedserve.bench;

import io.embedserve.testsupport.HalfPrecision;
import io.embedserve.testsupport.MiniLmResources;
import io.embedserve.testsupport.SafetensorsWriter.Dtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A random-weight model directory with exactly the shape of
 * {@code sentence-transformers/paraphrase-multilingual-mpnet-base-v2} (XLM-R base: 12 layers,
 * hidden 768, 12 heads, intermediate 3072, vocabulary 250002, 514 positions), so that speed and
 * memory can be measured without the 1.1 GB download. Its vectors mean nothing.
 *
 * <p>The tokenizer is all-MiniLM-L6-v2's WordPiece tokenizer.json, not XLM-R's SentencePiece one
 * (which is not available offline): its ids are all below 30522, so every id is a valid row of
 * the 250002-row table, but token counts per sentence differ from the real model's. Compare
 * tokens per second, not sentences per second, with the real model.
 *
 * <p>Written once into a directory ({@link #DEFAULT_DIR}) and reused while its completion marker
 * matches; writing goes to a sibling directory that is renamed into place at the end, so an
 * interrupted run never leaves a directory that looks complete.
 */
public final class RealShapeModel {

    public static final Path DEFAULT_DIR = Path.of("/tmp/embedserve-bench/real-shape");

    // Published config.json of paraphrase-multilingual-mpnet-base-v2.
    static final int VOCAB_SIZE = 250002;
    static final int HIDDEN = 768;
    static final int LAYERS = 12;
    static final int HEADS = 12;
    static final int INTERMEDIATE = 3072;
    static final int MAX_POSITIONS = 514;
    static final int TYPE_VOCAB_SIZE = 1;
    static final int PAD_TOKEN_ID = 1;
    static final int MAX_SEQ_LENGTH = 128;

    static final String TOKENIZER_NOTE = "tokenizer: all-MiniLM-L6-v2 WordPiece (ids < 30522, all valid rows of the"
            + " 250002-row table); token counts differ from XLM-R's SentencePiece, so compare tokens/s";

    private static final String MARKER = ".embedserve-bench-complete";

    private RealShapeModel() {}

    /** Writes the model into {@link #DEFAULT_DIR} (F32) unless it is already there. */
    public static void main(String[] args) {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults("dir", "", "dtype", "F32"),
                "RealShapeModel [--dir /tmp/embedserve-bench/real-shape] [--dtype F32|F16|BF16]");
        Dtype dtype = Dtype.valueOf(flags.string("dtype").toUpperCase(Locale.ROOT));
        Path dir = flags.given("dir") ? flags.path("dir") : defaultDirectory(dtype);
        System.out.println(ensure(dir, dtype));
    }

    /** {@link #DEFAULT_DIR} for F32, {@code real-shape-f16} and so on beside it otherwise. */
    static Path defaultDirectory(Dtype dtype) {
        return dtype == Dtype.F32 ? DEFAULT_DIR
                : DEFAULT_DIR.resolveSibling("real-shape-" + dtype.name().toLowerCase(Locale.ROOT));
    }

    /** The model directory at {@code dir}, written first if missing or incomplete. */
    public static Path ensure(Path dir, Dtype dtype) {
        List<RandomTensor> tensors = RandomTensor.xlmRobertaBase(VOCAB_SIZE, HIDDEN, LAYERS, INTERMEDIATE,
                MAX_POSITIONS, TYPE_VOCAB_SIZE);
        String marker = markerText(tensors, dtype);
        if (marker.equals(readMarker(dir))) {
            return dir;
        }
        Path staging = dir.resolveSibling(dir.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            deleteRecursively(staging);
            Files.createDirectories(staging.resolve("1_Pooling"));
            long started = System.nanoTime();
            System.err.printf(Locale.ROOT, "writing %s (%.2f GB of random %s weights)...%n",
                    dir, fileBytes(tensors, dtype) / 1e9, dtype);
            writeSafetensors(staging.resolve("model.safetensors"), tensors, dtype);
            Files.copy(MiniLmResources.tokenizerJson(), staging.resolve("tokenizer.json"));
            Files.writeString(staging.resolve("config.json"), configJson(dtype));
            Files.writeString(staging.resolve("modules.json"), MODULES_JSON);
            Files.writeString(staging.resolve("sentence_bert_config.json"), SENTENCE_BERT_CONFIG_JSON);
            Files.writeString(staging.resolve("1_Pooling/config.json"), POOLING_JSON);
            Files.writeString(staging.resolve("BENCHMARK-ONLY.txt"), RealShapeModel.class.getName()
                    + ": random weights in the shape of paraphrase-multilingual-mpnet-base-v2.\n" + TOKENIZER_NOTE + "\n");
            Files.writeString(staging.resolve(MARKER), marker);
            deleteRecursively(dir);
            Files.createDirectories(dir.getParent());
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            System.err.printf(Locale.ROOT, "written in %.1f s%n", (System.nanoTime() - started) / 1e9);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the real-shape model to " + dir, e);
        }
    }

    /** Bytes of model.safetensors' tensor data (the header adds some kilobytes). */
    static long fileBytes(List<RandomTensor> tensors, Dtype dtype) {
        return tensors.stream().mapToLong(RandomTensor::elements).sum() * dtype.byteSize();
    }

    /** The shape, dtype and size the directory was written for; a change rewrites it. */
    private static String markerText(List<RandomTensor> tensors, Dtype dtype) {
        return "xlm-roberta L" + LAYERS + " H" + HIDDEN + " I" + INTERMEDIATE + " V" + VOCAB_SIZE + " " + dtype
                + " tensors=" + tensors.size() + " bytes=" + fileBytes(tensors, dtype) + "\n";
    }

    private static String readMarker(Path dir) {
        try {
            return Files.readString(dir.resolve(MARKER));
        } catch (IOException e) {
            return null;
        }
    }

    /** safetensors: [u64 LE header length][JSON header, space-padded to 8][tensor data, LE]. */
    private static void writeSafetensors(Path file, List<RandomTensor> tensors, Dtype dtype) throws IOException {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (RandomTensor tensor : tensors) {
            long end = offset + tensor.elements() * dtype.byteSize();
            header.append(",\"").append(tensor.name()).append("\":{\"dtype\":\"").append(dtype.name())
                    .append("\",\"shape\":").append(java.util.Arrays.toString(tensor.shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        byte[] json = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(channel, prefix.flip());
            ByteBuffer chunk = ByteBuffer.allocateDirect(16 << 20).order(ByteOrder.LITTLE_ENDIAN);
            RandomTensor.Generator generator = new RandomTensor.Generator(0x5eed_2024L);
            for (RandomTensor tensor : tensors) {
                long left = tensor.elements();
                while (left > 0) {
                    int count = (int) Math.min(left, chunk.capacity() / dtype.byteSize());
                    chunk.clear();
                    fill(chunk, count, tensor, generator, dtype);
                    writeFully(channel, chunk.flip());
                    left -= count;
                }
            }
        }
    }

    private static void fill(ByteBuffer chunk, int count, RandomTensor tensor, RandomTensor.Generator generator,
            Dtype dtype) {
        for (int i = 0; i < count; i++) {
            float value = tensor.next(generator);
            switch (dtype) {
                case F32 -> chunk.putFloat(value);
                case F16 -> chunk.putShort(HalfPrecision.toF16Bits(value));
                case BF16 -> chunk.putShort(HalfPrecision.toBf16Bits(value));
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    private static String configJson(Dtype dtype) {
        return """
                {
                  "architectures": ["XLMRobertaModel"],
                  "attention_probs_dropout_prob": 0.1,
                  "bos_token_id": 0,
                  "eos_token_id": 2,
                  "hidden_act": "gelu",
                  "hidden_dropout_prob": 0.1,
                  "hidden_size": %d,
                  "initializer_range": 0.02,
                  "intermediate_size": %d,
                  "layer_norm_eps": 1e-05,
                  "max_position_embeddings": %d,
                  "model_type": "xlm-roberta",
                  "num_attention_heads": %d,
                  "num_hidden_layers": %d,
                  "pad_token_id": %d,
                  "position_embedding_type": "absolute",
                  "torch_dtype": "%s",
                  "type_vocab_size": %d,
                  "vocab_size": %d
                }
                """.formatted(HIDDEN, INTERMEDIATE, MAX_POSITIONS, HEADS, LAYERS, PAD_TOKEN_ID, dtype.torchName(),
                TYPE_VOCAB_SIZE, VOCAB_SIZE);
    }

    // No Normalize module: the published model ends with mean pooling.
    private static final String MODULES_JSON = """
            [
              {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
              {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}
            ]
            """;

    private static final String SENTENCE_BERT_CONFIG_JSON = """
            {"max_seq_length": %d, "do_lower_case": false}
            """.formatted(MAX_SEQ_LENGTH);

    private static final String POOLING_JSON = """
            {"word_embedding_dimension": %d, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
             "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}
            """.formatted(HIDDEN);
}
