package io.embedserve.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;

/** OpenAI's embeddings answer; {@code embedding} is a float list or a base64 string. */
@Schema(name = "OpenAiEmbeddingsResponse")
record OpenAiEmbeddingsResponse(String object, List<Item> data, String model, Usage usage) {

    @Schema(name = "OpenAiEmbedding")
    record Item(String object,
            @Schema(oneOf = {float[].class, String.class},
                    description = "A list of numbers, or with encoding_format base64 their little-endian float32 bytes")
            Object embedding,
            int index) {}

    @Schema(name = "OpenAiUsage")
    record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("total_tokens") int totalTokens) {}

    static OpenAiEmbeddingsResponse of(List<Object> embeddings, String model, int promptTokens) {
        List<Item> data = new ArrayList<>(embeddings.size());
        for (int i = 0; i < embeddings.size(); i++) {
            data.add(new Item("embedding", embeddings.get(i), i)); // 0-based, as OpenAI
        }
        return new OpenAiEmbeddingsResponse("list", data, model, new Usage(promptTokens, promptTokens));
    }
}
