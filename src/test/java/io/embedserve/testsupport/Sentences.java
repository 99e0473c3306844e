package io.embedserve.testsupport;

import java.util.ArrayList;
import java.util.List;

/** Sentences of varied scripts and lengths for equivalence tests and benchmarks. */
public final class Sentences {

    private Sentences() {}

    public static final List<String> VARIED = List.of(
            "Hi",
            "ok",
            "?",
            "The quick brown fox jumps over the lazy dog.",
            "A man is playing a guitar on the street.",
            "Embeddings map sentences to vectors so that similar meanings lie close together.",
            "How do I reset my password?",
            "Retrieval-augmented generation needs fast, accurate sentence embeddings.",
            "The weather in Paris is lovely in the spring.",
            "Stock markets fell sharply after the announcement.",
            "Café crème, s'il vous plaît.",
            "Él está leyendo un libro en la biblioteca.",
            "Über den Wolken muss die Freiheit wohl grenzenlos sein.",
            "Ça coûte très cher à Zürich, n'est-ce pas ?",
            "São Paulo é a maior cidade do Brasil.",
            "Crème brûlée, jalapeño, naïve façade, smörgåsbord.",
            "Zażółć gęślą jaźń.",
            "Příliš žluťoučký kůň úpěl ďábelské ódy.",
            "Привет, как дела?",
            "Москва — столица России.",
            "Я люблю читать книги по вечерам.",
            "Съешь же ещё этих мягких французских булок, да выпей чаю.",
            "안녕하세요",
            "저는 학생입니다.",
            "한국어 문장을 임베딩으로 바꿉니다.",
            "서울은 대한민국의 수도입니다.",
            "I love pizza 🍕 and sushi 🍣!",
            "🚀🚀🚀",
            "Good morning ☀️ have a nice day 😊",
            "👍",
            "こんにちは世界",
            "北京是中国的首都。",
            "مرحبا بالعالم",
            "שלום עולם",
            "Γειά σου Κόσμε",
            "नमस्ते दुनिया",
            "Mixed: English, русский, 한국어, and emoji 🎉 in one line.",
            "1234567890",
            "e = mc^2; a² + b² = c²",
            "https://example.com/path?query=1&other=two",
            "user@example.com wrote: 'see you at 10:30!'",
            "UPPERCASE SENTENCE WITH SHOUTING",
            "tabs\tand\nnewlines\nin text",
            "   leading and trailing spaces   ",
            "supercalifragilisticexpialidocious antidisestablishmentarianism",
            "The the the the the the the the the the.",
            "A sentence with a lot of punctuation!!! ??? ... ,,, ;;; :::",
            "Short.",
            "This one is a little bit longer than the short ones, but still not very long at all.",
            "Machine learning models such as transformers have revolutionised natural language processing by "
                    + "learning contextual representations from large corpora of text.",
            longText("Long documents exceed the model's maximum sequence length and must be truncated. ", 40),
            longText("Очень длинный текст на русском языке, который нужно обрезать. ", 30),
            longText("아주 긴 한국어 문서는 잘려야 합니다. ", 60));

    public static String longText(String unit, int repeats) {
        return unit.repeat(repeats).trim();
    }

    /** {@code count} short English sentences, each distinct, for throughput benchmarks. */
    public static List<String> shortSentences(int count) {
        String[] subjects = {"The cat", "A student", "My neighbour", "The engineer", "Our team", "The old man"};
        String[] verbs = {"reads", "writes", "builds", "finds", "paints", "fixes"};
        String[] objects = {"a book", "the report", "a small boat", "new ideas", "the old fence", "a long letter"};
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(subjects[i % 6] + " " + verbs[(i / 6) % 6] + " " + objects[(i / 36) % 6] + " on day " + i + ".");
        }
        return out;
    }
}
