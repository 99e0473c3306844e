package io.embedserve.config;

import io.embedserve.inference.SentenceModel;
import io.embedserve.inference.TorchRuntime;
import io.embedserve.model.ModelSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link LargestBatchMemoryTest}: loads a model, warms it up as the service does,
 * runs one batch of {@code inputs} × {@code length} tokens twice, and prints its own
 * /proc/self/status memory lines. The two passes use ids that together step through the whole word
 * table (15 rows apart for the default model: about 46 KB, within the 64 KB the kernel maps around
 * each fault of a file mapping), so that the memory-mapped table is resident as after a long life
 * of varied inputs.
 *
 * <p>Arguments: model directory, inputs, length.
 */
public final class LargestBatchProcess {

    static final int PASSES = 2;

    private LargestBatchProcess() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int inputs = Integer.parseInt(args[1]);
        int length = Integer.parseInt(args[2]);
        TorchRuntime.configureThreads(0);
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, "real-shape", "local"), null)) {
            model.encodeBatch(List.of(new long[] {0, 100, 2})); // the service's warm-up pass
            int vocabulary = model.encoderConfig().vocabSize();
            for (int pass = 0; pass < PASSES; pass++) {
                model.encodeBatch(ids(inputs, length, vocabulary, pass));
            }
            // Read while the model is still loaded, so that RSS shows its pages beside the peak.
            Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmHWM:") || line.startsWith("VmRSS:") || line.startsWith("Rss"))
                    .forEach(System.out::println);
        }
    }

    /** Ids {@code <s> ... </s>}, pass {@code pass} of {@link #PASSES} interleaved strides over the table. */
    static List<long[]> ids(int inputs, int length, int vocabulary, int pass) {
        long tokens = (long) PASSES * inputs * (length - 2);
        long stride = Math.max(1, (vocabulary - 3) / tokens);
        List<long[]> sequences = new ArrayList<>(inputs);
        long index = pass;
        for (int b = 0; b < inputs; b++) {
            long[] ids = new long[length];
            ids[0] = 0;
            ids[length - 1] = 2;
            for (int t = 1; t < length - 1; t++) {
                ids[t] = 3 + (index * stride) % (vocabulary - 3);
                index += PASSES;
            }
            sequences.add(ids);
        }
        return sequences;
    }
}
