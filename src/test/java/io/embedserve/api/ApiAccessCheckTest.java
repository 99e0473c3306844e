package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.config.ApiKeyProperties;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Open or key-protected: decided from the keys and the address the API will listen on. */
class ApiAccessCheckTest {

    static final ApiKeyProperties NO_KEY = new ApiKeyProperties(null, null, true);
    static final ApiKeyProperties OPEN_MEANT = new ApiKeyProperties("", "", false);

    static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void aKeyProtectsTheApiOnAnyAddressAndTheLineNamesWhereTheKeysComeFrom(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "k\n");

        assertThat(ApiAccessCheck.decide(new ApiKeyProperties("k", null, true), null)).isEqualTo(
                "API access: key-protected; every API route needs \"Authorization: Bearer <key>\" (API_KEY)");
        assertThat(ApiAccessCheck.decide(new ApiKeyProperties(null, file.toString(), true), address("10.1.2.3")))
                .isEqualTo("API access: key-protected; every API route needs \"Authorization: Bearer <key>\""
                        + " (API_KEYS_FILE " + file + ")");
    }

    @Test
    void withoutAKeyTheApiIsOpenOnLoopbackOnly() throws Exception {
        assertThat(ApiAccessCheck.decide(NO_KEY, address("127.0.0.1")))
                .isEqualTo("API access: OPEN, no key needed: it listens on loopback 127.0.0.1 only");
        assertThat(ApiAccessCheck.decide(NO_KEY, address("::1")))
                .isEqualTo("API access: OPEN, no key needed: it listens on loopback 0:0:0:0:0:0:0:1 only");
        assertThat(ApiAccessCheck.decide(NO_KEY, address("localhost"))).startsWith("API access: OPEN");
    }

    @Test
    void withoutAKeyEveryOtherAddressStopsStartUpWithWhatToDo() throws Exception {
        for (InetAddress bind : new InetAddress[] {null, address("0.0.0.0"), address("::"), address("192.168.1.20")}) {
            assertThatThrownBy(() -> ApiAccessCheck.decide(NO_KEY, bind))
                    .as(String.valueOf(bind))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("No API key is set (API_KEY, API_KEYS_FILE) and the API would listen on "
                            + (bind == null ? "all interfaces" : bind.getHostAddress()))
                    .hasMessageContaining("SERVER_ADDRESS=127.0.0.1")
                    .hasMessageEndingWith("if an open API is meant, set API_KEY_REQUIRED=false.");
        }
    }

    @Test
    void apiKeyRequiredFalseOpensItOnPurposeAndTheLineSaysSo() throws Exception {
        assertThat(ApiAccessCheck.decide(OPEN_MEANT, null))
                .isEqualTo("API access: OPEN, no key needed, on all interfaces (API_KEY_REQUIRED=false)");
        assertThat(ApiAccessCheck.decide(OPEN_MEANT, address("10.0.0.7")))
                .isEqualTo("API access: OPEN, no key needed, on 10.0.0.7 (API_KEY_REQUIRED=false)");
    }
}
