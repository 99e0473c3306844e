package io.embedserve;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class EmbedServeApplication {

    public static void main(String[] args) {
        // DJL must never try to download anything: the PyTorch native library ships in the jar.
        System.setProperty("ai.djl.offline", "true");
        SpringApplication.run(EmbedServeApplication.class, args);
    }
}
