package io.embedserve.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.ResultActions;

/** API_KEYS_FILE fails closed: once the file is gone, its key is refused until the file is back. */
@WebMvcTest
@Import(ApiTestConfig.class)
class ApiKeysFileRoutesTest extends ApiSliceTest {

    static final String KEY = "file-key-5b2e";
    static final Path FILE = keysFile();

    static Path keysFile() {
        try {
            Path file = Files.createTempDirectory("embedserve-keys-").resolve("keys");
            file.toFile().deleteOnExit();
            file.getParent().toFile().deleteOnExit();
            return Files.writeString(file, KEY + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void keys(DynamicPropertyRegistry registry) {
        registry.add("embedserve.api-keys.file", FILE::toString);
    }

    ResultActions embedWithTheKey() throws Exception {
        return mvc.perform(post("/embed").contentType(MediaType.APPLICATION_JSON).content("{\"inputs\": \"a b c\"}")
                .header("Authorization", "Bearer " + KEY));
    }

    @Test
    void aDeletedKeysFileRevokesItsKeyUntilItIsBack() throws Exception {
        embedWithTheKey().andExpect(status().isOk());

        Files.delete(FILE);
        try {
            embedWithTheKey().andExpect(status().isUnauthorized()).andExpect(content().json(
                    "{\"error\": \"Invalid API key.\", \"error_type\": \"Validation\"}", JsonCompareMode.STRICT));
        } finally {
            Files.writeString(FILE, KEY + "\n");
        }

        embedWithTheKey().andExpect(status().isOk())
                .andExpect(content().json("[[0.6,0.8,0.0,0.0]]", JsonCompareMode.STRICT));
    }
}
