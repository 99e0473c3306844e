package io.embedserve.model.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HF_ENDPOINT, HF_TOKEN and HF_HUB_OFFLINE with huggingface_hub's meanings. */
class HubAccessTest {

    @TempDir
    Path hfHome;

    @Test
    void defaultsToTheHubWithNoTokenAndOnline() {
        HubAccess access = HubAccess.fromEnvironment(Map.of(), hfHome);

        assertThat(access.endpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(access.token()).isNull();
        assertThat(access.offline()).isFalse();
    }

    @Test
    void aMirrorEndpointLosesItsTrailingSlash() {
        assertThat(HubAccess.fromEnvironment(Map.of("HF_ENDPOINT", "https://mirror.example/hf/"), hfHome).endpoint())
                .isEqualTo(URI.create("https://mirror.example/hf"));
    }

    @Test
    void theTokenComesFromHfTokenElseFromTheLoginTokenFile() throws IOException {
        Files.writeString(hfHome.resolve("token"), "hf_from_file\n");

        assertThat(HubAccess.fromEnvironment(Map.of("HF_TOKEN", "hf_from_env"), hfHome).token()).isEqualTo("hf_from_env");
        assertThat(HubAccess.fromEnvironment(Map.of(), hfHome).token()).isEqualTo("hf_from_file");
        Path elsewhere = Files.writeString(hfHome.resolve("other"), "hf_other");
        assertThat(HubAccess.fromEnvironment(Map.of("HF_TOKEN_PATH", elsewhere.toString()), hfHome).token())
                .isEqualTo("hf_other");
    }

    @Test
    void offlineAcceptsHuggingfaceHubsTrueValues() {
        for (String value : new String[] {"1", "true", "YES", "on"}) {
            assertThat(HubAccess.fromEnvironment(Map.of("HF_HUB_OFFLINE", value), hfHome).offline()).as(value).isTrue();
        }
        for (String value : new String[] {"0", "false", ""}) {
            assertThat(HubAccess.fromEnvironment(Map.of("HF_HUB_OFFLINE", value), hfHome).offline()).as(value).isFalse();
        }
    }

    @Test
    void theTokenGoesOnlyToTheHubsOwnOrigin() {
        HubAccess access = new HubAccess(URI.create("https://hub.example"), "hf_x", false);

        assertThat(access.isHub(URI.create("https://hub.example/api/models/a/b"))).isTrue();
        assertThat(access.isHub(URI.create("https://hub.example:443/a/b/resolve/main/x"))).isTrue();
        assertThat(access.isHub(URI.create("https://cdn.example/objects/1"))).isFalse();
        assertThat(access.isHub(URI.create("http://hub.example/a"))).isFalse();
        assertThat(access.isHub(URI.create("https://hub.example:8443/a"))).isFalse();
    }
}
