package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RequiredTool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code curl} lines of docs/CLIENTS.md, run as they are written (with $API_KEY in the
 * environment and the service's port in place of localhost:8080) against the running service with
 * an API key; each answer must be the model's. The Java and JavaScript snippets there are the calls
 * the client tests make.
 */
class ClientsDocumentTest extends JvmClientTest {

    static final Path DOCUMENT = Path.of("docs/CLIENTS.md");
    static final Pattern SHELL_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

    /** Each curl command of the document's sh blocks, continuation lines joined. */
    static List<String> curlCommands() throws IOException {
        Matcher blocks = SHELL_BLOCK.matcher(Files.readString(DOCUMENT));
        List<String> commands = new ArrayList<>();
        while (blocks.find()) {
            blocks.group(1).replace("\\\n", " ").lines().map(String::strip)
                    .filter(line -> line.startsWith("curl ")).forEach(commands::add);
        }
        return commands;
    }

    String run(String command) throws IOException, InterruptedException {
        ProcessBuilder shell = new ProcessBuilder("sh", "-c",
                command.replace("http://localhost:8080", "http://127.0.0.1:" + port)).redirectErrorStream(true);
        shell.environment().put("API_KEY", KEY);
        Process process = shell.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
        return output;
    }

    static boolean curlInstalled() {
        try {
            Process curl = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
            curl.getInputStream().readAllBytes();
            return curl.waitFor(30, TimeUnit.SECONDS) && curl.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).floatValue();
        }
        return out;
    }

    @Test
    void everyCurlLineRunsAsWrittenAndGetsTheModelsAnswer() throws Exception {
        RequiredTool.require(curlInstalled(), "curl is not installed");
        List<String> commands = curlCommands();
        assertThat(commands).as("the curl lines of %s", DOCUMENT).hasSize(4);
        List<String> texts = List.of("first text", "second text");
        JsonMapper json = JsonMapper.builder().build();

        JsonNode embed = json.readTree(run(commands.get(0)));
        assertModelVectors("/embed", List.of(floats(embed.get(0)), floats(embed.get(1))), texts);

        JsonNode cut = json.readTree(run(commands.get(1)));
        assertModelVectors("/v1/embeddings, 128", List.of(floats(cut.get("data").get(0).get("embedding")),
                floats(cut.get("data").get(1).get("embedding"))), texts, 128);

        JsonNode base64 = json.readTree(run(commands.get(2)));
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64.get("data").get(0).get("embedding")
                .asString())).order(ByteOrder.LITTLE_ENDIAN);
        float[] decoded = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(decoded);
        assertModelVectors("/v1/embeddings, base64", List.of(decoded), List.of("first text"));

        assertThat(run(commands.get(3))).isEqualTo("200\n");
    }
}
