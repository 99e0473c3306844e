package io.embedserve.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart is drawn headless, from the medians of the rounds, as a PNG a browser can show. */
class HttpChartTest {

    @TempDir
    Path dir;

    @Test
    void writesAPngOfEveryServerAgainstConnections() throws Exception {
        HttpResults results = new HttpResults(1);
        List<String> servers = List.of(HttpResults.service("float32"), HttpResults.service("bfloat16"), HttpResults.PEER);
        for (String server : servers) {
            for (int c : List.of(1, 32, 128)) {
                results.add(new HttpResults.Run(1, server, "retrieval", c, new WrkResult(c, 100L * c, 10, 0, 0, 5, 8, 9, 10)));
            }
        }

        Path png = HttpChart.write(results, servers, "retrieval", List.of(1, 32, 128), "a test", dir.resolve("chart.png"));

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(720);
    }
}
