package io.embedserve;

import io.embedserve.model.hub.FetchCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class EmbedServeApplication {

    public static void main(String[] args) {
        // `java -jar embedserve.jar fetch ...` fills the Hugging Face cache and exits, before Spring
        // or the native engine load: the service itself never downloads.
        if (args.length > 0 && args[0].equals("fetch")) {
            System.exit(FetchCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(),
                    System.out, System.err));
        }
        // DJL must never try to download anything: the PyTorch native library ships in the jar.
        System.setProperty("ai.djl.offline", "true");
        SpringApplication.run(EmbedServeApplication.class, args);
    }
}
