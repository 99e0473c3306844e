package io.embedserve.bench;

import io.embedserve.testsupport.Sentences;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A fixed list of texts that every engine embeds, in the same batches. */
record Corpus(String name, List<String> texts) {

    Corpus {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("corpus " + name + " is empty");
        }
        texts = List.copyOf(texts);
    }

    /** {@code count} short, distinct English sentences (about 10 to 14 tokens each). */
    static Corpus shortSentences(int count) {
        return new Corpus("short", Sentences.shortSentences(count));
    }

    /** {@link Sentences#VARIED} (many scripts, 1 to several hundred tokens) repeated {@code times}. */
    static Corpus varied(int times) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            texts.addAll(Sentences.VARIED);
        }
        return new Corpus("varied", texts);
    }

    /** One text per non-blank line of {@code file}, as the HTTP load generator sends them. */
    static Corpus file(Path file) {
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            return new Corpus("file:" + file.getFileName(), lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the corpus " + file, e);
        }
    }

    /** The first {@code limit} texts, for quick trial runs; {@code limit} ≤ 0 keeps them all. */
    Corpus limit(int limit) {
        return limit <= 0 || limit >= texts.size() ? this : new Corpus(name, texts.subList(0, limit));
    }

    String label() {
        return name + "(" + texts.size() + ")";
    }
}
