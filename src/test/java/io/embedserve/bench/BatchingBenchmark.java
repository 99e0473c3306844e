package io.embedserve.bench;

import ai.djl.ndarray.NDManager;
import io.embedserve.inference.SentenceModel;
import io.embedserve.inference.TorchRuntime;
import io.embedserve.inference.TruncationDirection;
import io.embedserve.inference.batch.BatchPlans;
import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.inference.encode.ScriptEncoder;
import io.embedserve.inference.encode.ScriptPrograms;
import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.RetrievalCorpus;
import io.embedserve.testsupport.SafetensorsWriter.Dtype;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The batches the service forms, offline: the retrieval corpus arrives in random order, {@code
 * --window} inputs wait at a time (32 clients, one text per request), and a planner picks each
 * batch from them, as the inference worker does. Compares the current encoder with a candidate
 * encoder program (run on each batch shortest first, as commit f534748's grouped encoder.py
 * expects), each on the same queue batches under the current planner, under a planner bounded by
 * the token budget alone, and on length-sorted batches of 32, the best case. Without a candidate it
 * compares the current encoder on queue batches under other padding bounds ({@code
 * --padding-bounds}). Each round runs every combination once over the first {@code --count} texts
 * of the corpus, interleaved; the median round is reported.
 *
 * <pre>git show f534748:src/main/resources/io/embedserve/inference/encode/encoder.py > /tmp/grouped.py
 * bench/batching.sh --candidate /tmp/grouped.py [--model minilm|real] [--threads 2]
 * bench/batching.sh --padding-bounds 0.1,0.15 [--model minilm|real] [--threads 1]</pre>
 */
public final class BatchingBenchmark {

    private static final String USAGE = "BatchingBenchmark [--candidate ENCODER_PY] [--padding-bounds 0.1,0.15]"
            + " [--model minilm|real] [--window 32] [--threads 2] [--rounds 3] [--count 2000] [--max-batch-tokens 16384]"
            + " [--max-batch-requests 64]";

    private BatchingBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults("candidate", "", "padding-bounds", "", "model", "minilm", "window", "32",
                "threads", "2", "rounds", "3", "count", "2000", "max-batch-tokens", "16384", "max-batch-requests", "64"), USAGE);
        TorchRuntime.configureThreads(flags.integer("threads"));
        System.out.println("# BatchingBenchmark " + flags.describe());
        System.out.println(MachineInfo.describe());
        Path dir = flags.string("model").equals("real")
                ? RealShapeModel.ensure(RealShapeModel.DEFAULT_DIR, Dtype.F32) : MiniLmFixture.modelDirectory();
        String candidatePath = flags.string("candidate");
        int tokens = flags.integer("max-batch-tokens");
        int requests = flags.integer("max-batch-requests");
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, flags.string("model"), "local"), null,
                        ComputeDtype.FLOAT32);
                NDManager candidateWeights = NDManager.newBaseManager("PyTorch")) {
            List<long[]> ids = corpusIds(model, flags.integer("count"));
            List<long[]> arrivals = new ArrayList<>(ids);
            Collections.shuffle(arrivals, new Random(7));
            int window = flags.integer("window");
            List<List<long[]>> sorted = sortedBatches(ids, 32);
            List<List<long[]>> currentQueue = queue(arrivals, window, lengths -> BatchPlans.next(lengths, tokens, requests));
            Map<String, Run> runs = new LinkedHashMap<>();
            runs.put("current encoder and planner, queue", new Run(model::encodeBatch, currentQueue));
            if (candidatePath.isEmpty()) {
                for (String bound : flags.string("padding-bounds").split(",")) {
                    if (!bound.isBlank()) {
                        double share = Double.parseDouble(bound.strip());
                        runs.put("current encoder, padding bound " + share + " (now " + BatchPlans.paddingBound() + "), queue",
                                new Run(model::encodeBatch, queue(arrivals, window,
                                        lengths -> BatchPlans.withPaddingBound(lengths, tokens, requests, share))));
                    }
                }
                runs.put("current encoder, sorted batches of 32", new Run(model::encodeBatch, sorted));
            } else {
                ScriptEncoder candidate = ScriptPrograms.encoder(Files.readString(Path.of(candidatePath)), model,
                        candidateWeights);
                Function<List<long[]>, float[][]> candidateShortestFirst = batch -> candidate.encode(
                        batch.stream().sorted(Comparator.comparingInt(s -> s.length)).toList());
                List<List<long[]>> budgetQueue = queue(arrivals, window,
                        lengths -> BatchPlans.withoutPaddingBound(lengths, tokens, requests));
                runs.put("candidate encoder, current planner, queue", new Run(candidateShortestFirst, currentQueue));
                runs.put("candidate encoder, token-budget planner, queue", new Run(candidateShortestFirst, budgetQueue));
                runs.put("current encoder, token-budget planner, queue", new Run(model::encodeBatch, budgetQueue));
                runs.put("current encoder, sorted batches of 32", new Run(model::encodeBatch, sorted));
                runs.put("candidate encoder, sorted batches of 32", new Run(candidateShortestFirst, sorted));
            }
            runs.forEach((name, run) -> System.out.println("- " + name + ": " + describe(run.batches())));
            runs.values().forEach(run -> run.pass(20)); // warm-up: 20 batches each
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (int round = 0; round < flags.integer("rounds"); round++) {
                for (Map.Entry<String, Run> entry : runs.entrySet()) {
                    double rate = entry.getValue().pass(Integer.MAX_VALUE);
                    rates.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(rate);
                    System.out.printf(Locale.ROOT, "round %d, %s: %.1f sentences/s%n", round + 1, entry.getKey(), rate);
                }
            }
            double reference = GemmBenchmark.median(rates.values().iterator().next());
            rates.forEach((name, list) -> System.out.printf(Locale.ROOT, "MEDIAN %s: %.1f sentences/s, %.2fx the first%n",
                    name, GemmBenchmark.median(list), GemmBenchmark.median(list) / reference));
        }
    }

    record Run(Function<List<long[]>, float[][]> encoder, List<List<long[]>> batches) {
        /** sentences/s over the first {@code limit} batches (all of them for MAX_VALUE) */
        double pass(int limit) {
            long started = System.nanoTime();
            long sentences = 0;
            for (List<long[]> batch : batches.subList(0, Math.min(limit, batches.size()))) {
                encoder.apply(batch);
                sentences += batch.size();
            }
            return sentences / ((System.nanoTime() - started) / 1e9);
        }
    }

    private static List<long[]> corpusIds(SentenceModel model, int count) {
        int maxLength = model.pipeline().maxSeqLength();
        return RetrievalCorpus.texts(count, 42).stream()
                .map(t -> Truncation.truncate(model.tokenizer().encode(t), maxLength, TruncationDirection.RIGHT))
                .toList();
    }

    /** {@code ids} shortest first, in batches of {@code size}. */
    static List<List<long[]>> sortedBatches(List<long[]> ids, int size) {
        List<long[]> sorted = new ArrayList<>(ids);
        sorted.sort(Comparator.comparingInt(s -> s.length));
        List<List<long[]>> batches = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += size) {
            batches.add(sorted.subList(from, Math.min(sorted.size(), from + size)));
        }
        return batches;
    }

    /** The batches a worker forms when {@code window} inputs wait and the next arrives as one leaves. */
    private static List<List<long[]>> queue(List<long[]> arrivals, int window, Function<int[], List<Integer>> planner) {
        List<List<long[]>> batches = new ArrayList<>();
        List<long[]> waiting = new ArrayList<>();
        int next = 0;
        while (next < arrivals.size() || !waiting.isEmpty()) {
            while (waiting.size() < window && next < arrivals.size()) {
                waiting.add(arrivals.get(next++));
            }
            int[] lengths = waiting.stream().mapToInt(s -> s.length).toArray();
            List<long[]> batch = planner.apply(lengths).stream().map(waiting::get).toList();
            waiting.removeAll(batch);
            batches.add(batch);
        }
        return batches;
    }

    private static String describe(List<List<long[]>> batches) {
        long real = 0;
        long padded = 0;
        for (List<long[]> batch : batches) {
            int longest = batch.stream().mapToInt(s -> s.length).max().orElse(0);
            padded += (long) longest * batch.size();
            real += batch.stream().mapToInt(s -> s.length).sum();
        }
        return String.format(Locale.ROOT, "%d batches, mean %.1f inputs, %.0f%% padding at the longest length",
                batches.size(), batches.stream().mapToInt(List::size).average().orElse(0), 100.0 * (padded - real) / padded);
    }
}
