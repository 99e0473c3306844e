package io.embedserve.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/** OpenAI's embeddings answer; {@code embedding} is a float list or a base64 string. */
record OpenAiEmbeddingsResponse(String object, List<Item> data, String model, Usage usage) {

    record Item(String object, Object embedding, int index) {}

    record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("total_tokens") int totalTokens) {}

    static OpenAiEmbeddingsResponse of(List<Object> embeddings, String model, int promptTokens) {
        List<Item> data = new ArrayList<>(embeddings.size());
        for (int i = 0; i < embeddings.size(); i++) {
            data.add(new Item("embedding", embeddings.get(i), i)); // 0-based, as OpenAI
        }
        return new OpenAiEmbeddingsResponse("list", data, model, new Usage(promptTokens, promptTokens));
    }
}
