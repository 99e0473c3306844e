package io.embedserve.app;

import static io.embedserve.app.RefusedBodyConnectionTest.A_TEXT;
import static io.embedserve.app.RefusedBodyConnectionTest.JSON_BODY;
import static io.embedserve.app.RefusedBodyConnectionTest.READ_TIMEOUT;
import static io.embedserve.app.RefusedBodyConnectionTest.assertEmbeds;
import static io.embedserve.app.RefusedBodyConnectionTest.assertErrorBody;
import static io.embedserve.app.RefusedBodyConnectionTest.withLength;
import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RawHttpConnection;
import io.embedserve.testsupport.RawHttpConnection.Answer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * A 401 is answered before the body is read, like the refusals of {@link RefusedBodyConnectionTest}:
 * the client that forgot its key gets the whole answer and sends its request again, with the key,
 * on the same connection.
 */
@TestPropertySource(properties = "API_KEY=" + OpenAiSdkTest.KEY) // OpenAiSdkTest's context, shared
@ExtendWith(OutputCaptureExtension.class)
class RefusedBodyWithApiKeyTest extends RunningServiceTest {

    @Test
    void aRequestWithoutTheKeyIsAnswered401AndTheConnectionServesTheRetry(CapturedOutput output) throws Exception {
        int logBefore = LoggedFailures.mark(output);
        try (RawHttpConnection connection = new RawHttpConnection(port, READ_TIMEOUT)) {
            connection.send("POST", "/embed", withLength(JSON_BODY, A_TEXT.length), A_TEXT);
            Answer refused = connection.read();
            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
            assertThat(refused.header("Connection")).as("kept alive").isNotEqualToIgnoringCase("close");
            assertErrorBody(refused, "Validation");

            Map<String, String> withKey = new LinkedHashMap<>(JSON_BODY);
            withKey.put("Authorization", "Bearer " + OpenAiSdkTest.KEY);
            assertEmbeds(connection, withKey);
        }
        LoggedFailures.assertNoneSince(output, logBefore);
    }
}
