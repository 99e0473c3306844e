package io.embedserve.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic corpus shaped like what a retrieval service embeds: short search queries, passages
 * of a few sentences and some long documents that run past max_seq_length, in English (about two
 * thirds) and eleven other languages and scripts. With all-MiniLM-L6-v2's tokenizer the texts run
 * from 3 tokens to the 256-token limit with a mean near 50 (EngineBenchmark prints the exact
 * figures). Generated, not downloaded: the same seed gives the same texts on every machine.
 */
public final class RetrievalCorpus {

    private static final String[] SUBJECTS = {
        "The new firmware update", "Our support team", "A recent study", "The city council", "This laptop",
        "The quarterly report", "Your subscription", "The hiking trail", "A good night's sleep", "The museum",
        "Regular exercise", "The train to Berlin", "The company's privacy policy", "Solar panels", "The recipe",
        "The database migration", "Customer feedback", "The insurance plan", "The new vaccine", "The river delta"};
    private static final String[] VERBS = {
        "improves", "reduces", "explains", "requires", "changes", "protects", "supports", "delays", "covers",
        "describes", "affects", "replaces", "includes", "measures", "doubles"};
    private static final String[] OBJECTS = {
        "battery life on older devices", "the waiting time for refunds", "how interest rates are calculated",
        "a valid photo ID at check-in", "the risk of heart disease", "the schedule for the summer season",
        "data stored in the European Union", "the cost of heating in winter", "three cups of flour and two eggs",
        "the index on the orders table", "the number of visitors each weekend", "damage caused by flooding",
        "side effects in fewer than one percent of patients", "the habitat of migrating birds",
        "access to the premium features"};
    private static final String[] CLAUSES = {
        "according to the latest figures", "although results vary between regions", "if the warranty is still valid",
        "before the end of the month", "which surprised many analysts", "as described in the user manual",
        "unless you cancel in writing", "while the bridge is under repair", "because demand rose sharply",
        "for customers who signed up last year", "in most cases", "after the second dose"};
    private static final String[] QUESTIONS = {
        "how do I", "what is the best way to", "why does it take so long to", "can I", "where can I",
        "is it safe to", "how much does it cost to", "when should I"};
    private static final String[] ACTIONS = {
        "reset my password", "cancel my subscription", "renew a passport", "update the firmware",
        "transfer money abroad", "book a train ticket", "bake bread without yeast", "change the oil",
        "export data to csv", "reduce my electricity bill", "file a tax return", "install solar panels"};

    /** Whole sentences in other languages and scripts; passages are assembled from them. */
    private static final String[][] FOREIGN = {
        {"Le remboursement est effectué sous quatorze jours ouvrés.", "La gare centrale se trouve à dix minutes à pied.",
            "Ce modèle consomme moins d'énergie que la version précédente.", "Les résultats de l'étude seront publiés en mars.",
            "Veuillez conserver votre reçu jusqu'à la fin de la garantie."},
        {"Die Rückerstattung erfolgt innerhalb von vierzehn Werktagen.", "Der Zug nach München hat heute zwanzig Minuten Verspätung.",
            "Bitte bewahren Sie die Quittung bis zum Ende der Garantie auf.", "Die Ergebnisse der Studie werden im März veröffentlicht.",
            "Das neue Modell verbraucht deutlich weniger Strom."},
        {"El reembolso se realiza en un plazo de catorce días hábiles.", "La biblioteca abre de lunes a sábado por la mañana.",
            "Este modelo consume menos energía que la versión anterior.", "Los resultados del estudio se publicarán en marzo.",
            "Conserve el recibo hasta el final de la garantía."},
        {"O reembolso é feito em até catorze dias úteis.", "A estação fica a dez minutos a pé do hotel.",
            "Este modelo consome menos energia do que a versão anterior.", "Os resultados do estudo serão publicados em março."},
        {"Возврат средств производится в течение четырнадцати рабочих дней.", "Поезд до Москвы отправляется каждый час.",
            "Эта модель потребляет меньше энергии, чем предыдущая версия.", "Результаты исследования будут опубликованы в марте.",
            "Сохраните чек до окончания гарантийного срока."},
        {"환불은 영업일 기준 14일 이내에 처리됩니다.", "기차역은 호텔에서 걸어서 10분 거리에 있습니다.",
            "이 모델은 이전 버전보다 전력을 적게 소비합니다.", "연구 결과는 3월에 발표될 예정입니다."},
        {"退款将在十四个工作日内完成。", "火车站距离酒店步行约十分钟。", "这款型号比上一代更省电。", "研究结果将于三月公布。"},
        {"返金は十四営業日以内に行われます。", "駅はホテルから徒歩十分です。", "このモデルは前のバージョンより消費電力が少ないです。",
            "研究の結果は三月に発表されます。"},
        {"يتم استرداد المبلغ خلال أربعة عشر يوم عمل.", "تقع المحطة على بعد عشر دقائق سيرا على الأقدام.",
            "يستهلك هذا الطراز طاقة أقل من الإصدار السابق."},
        {"धनवापसी चौदह कार्य दिवसों के भीतर की जाती है।", "स्टेशन होटल से पैदल दस मिनट की दूरी पर है।",
            "यह मॉडल पिछले संस्करण की तुलना में कम बिजली खपत करता है।"},
        {"Zwrot pieniędzy następuje w ciągu czternastu dni roboczych.", "Dworzec znajduje się dziesięć minut pieszo od hotelu.",
            "Ten model zużywa mniej energii niż poprzednia wersja."}};

    private RetrievalCorpus() {}

    /** {@code count} texts from {@code seed}; the default benchmark corpus is {@code texts(2000, 42)}. */
    public static List<String> texts(int count, long seed) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean english = random.nextInt(3) < 2;
            int kind = random.nextInt(100);
            if (kind < 25) {
                out.add(english ? query(random) : firstWords(pick(random, pick(random, FOREIGN)), random));
            } else {
                int sentences = kind < 92 ? 1 + random.nextInt(4) : 5 + random.nextInt(14);
                out.add(passage(random, english, sentences));
            }
        }
        return out;
    }

    private static String query(Random random) {
        return random.nextBoolean()
                ? pick(random, QUESTIONS) + " " + pick(random, ACTIONS) + "?"
                : pick(random, SUBJECTS).toLowerCase() + " " + pick(random, OBJECTS);
    }

    private static String firstWords(String sentence, Random random) {
        String[] words = sentence.split(" ");
        return words.length <= 3 ? sentence : String.join(" ", java.util.Arrays.copyOf(words, 2 + random.nextInt(words.length - 2)));
    }

    private static String passage(Random random, boolean english, int sentences) {
        String[] language = english ? null : pick(random, FOREIGN);
        StringBuilder text = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            text.append(s == 0 ? "" : " ").append(english ? sentence(random) : pick(random, language));
        }
        return text.toString();
    }

    private static String sentence(Random random) {
        String sentence = pick(random, SUBJECTS) + " " + pick(random, VERBS) + " " + pick(random, OBJECTS);
        if (random.nextBoolean()) {
            sentence += ", " + pick(random, CLAUSES);
        }
        return sentence + ".";
    }

    private static <T> T pick(Random random, T[] options) {
        return options[random.nextInt(options.length)];
    }
}
