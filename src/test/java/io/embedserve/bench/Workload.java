package io.embedserve.bench;

import io.embedserve.inference.SentenceModel;
import io.embedserve.inference.TruncationDirection;
import io.embedserve.inference.tokenize.Truncation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A corpus tokenized by the model's tokenizer, truncated to its max_seq_length, and cut into the
 * batches every engine runs. Batches of more than one text are cut after sorting by length, as
 * SentenceModel.encode does (the batch queue groups by length too), so that padding stays small.
 */
record Workload(Corpus corpus, int batchSize, List<Batch> batches) {

    /** One batch: the same texts and token ids for every engine. */
    record Batch(List<String> texts, long[][] ids) {

        long realTokens() {
            long total = 0;
            for (long[] sequence : ids) {
                total += sequence.length;
            }
            return total;
        }

        int paddedLength() {
            int longest = 0;
            for (long[] sequence : ids) {
                longest = Math.max(longest, sequence.length);
            }
            return longest;
        }

        long paddedTokens() {
            return (long) ids.length * paddedLength();
        }

        List<long[]> idList() {
            return List.of(ids);
        }
    }

    static Workload of(Corpus corpus, SentenceModel model, int batchSize) {
        int maxLength = model.pipeline().maxSeqLength();
        List<long[]> ids = corpus.texts().stream()
                .map(t -> Truncation.truncate(model.tokenizer().encode(t), maxLength, TruncationDirection.RIGHT))
                .toList();
        List<Integer> order = IntStream.range(0, ids.size()).boxed().toList();
        if (batchSize > 1) {
            order = order.stream().sorted(Comparator.comparingInt(i -> ids.get(i).length)).toList();
        }
        List<Batch> batches = new ArrayList<>();
        for (int from = 0; from < order.size(); from += batchSize) {
            List<Integer> chunk = order.subList(from, Math.min(order.size(), from + batchSize));
            batches.add(new Batch(chunk.stream().map(corpus.texts()::get).toList(),
                    chunk.stream().map(ids::get).toArray(long[][]::new)));
        }
        return new Workload(corpus, batchSize, List.copyOf(batches));
    }

    long realTokens() {
        return batches.stream().mapToLong(Batch::realTokens).sum();
    }

    long paddedTokens() {
        return batches.stream().mapToLong(Batch::paddedTokens).sum();
    }

    int sentences() {
        return corpus.texts().size();
    }

    String describe() {
        int longest = batches.stream().mapToInt(Batch::paddedLength).max().orElse(0);
        return String.format(java.util.Locale.ROOT,
                "%s, batch %d: %d sentences, %d real tokens (mean %.1f, max %d), %d padded tokens (%.0f%% padding), %d batches",
                corpus.label(), batchSize, sentences(), realTokens(), (double) realTokens() / sentences(), longest,
                paddedTokens(), 100.0 * (paddedTokens() - realTokens()) / paddedTokens(), batches.size());
    }
}
