package io.embedserve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceJvmOptionsTest {

    @Test
    void theJvmStartsWithEveryOption() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ServiceJvmOptions.read());
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(java.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
        assertThat(ServiceJvmOptions.read()).isNotEmpty();
    }

    @Test
    void commentsAndBlankLinesAreSkippedAndAnythingButAnOptionIsRefused() {
        assertThat(ServiceJvmOptions.parse("# why\n\n-XX:TieredStopAtLevel=1\n-Xss1m\n"))
                .containsExactly("-XX:TieredStopAtLevel=1", "-Xss1m");
        assertThatThrownBy(() -> ServiceJvmOptions.parse("TieredStopAtLevel=1\n")).hasMessageContaining("TieredStopAtLevel=1");
        assertThatThrownBy(() -> ServiceJvmOptions.parse("-Dname=two words\n")).hasMessageContaining("two words");
    }
}
