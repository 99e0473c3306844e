package io.embedserve.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * bench/http.sh's picture of one workload: requests/s (above) and p95 latency (below) against
 * connections on a log scale, one line per server, each point the median over the rounds.
 */
final class HttpChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 720;
    /** The same marker for a server in both panels. */
    private static final Shape[] SHAPES = DefaultDrawingSupplier.createStandardSeriesShapes();

    private HttpChart() {}

    /** Writes the PNG and returns its path. */
    static Path write(HttpResults results, List<String> servers, String workload, List<Integer> connections,
            String subtitle, Path file) {
        System.setProperty("java.awt.headless", "true");
        LogAxis axis = new LogAxis("connections (wrk -t1 -cN)");
        axis.setBase(2);
        axis.setNumberFormatOverride(new DecimalFormat("0"));
        axis.setSmallestValue(1);
        // one tick per power of two: the connection counts are 1, 32, 128 and their like
        axis.setTickUnit(new NumberTickUnit(1), false, true);
        axis.setLowerMargin(0.05);
        axis.setUpperMargin(0.05);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(axis);
        plot.setGap(12);
        plot.add(panel(results, servers, workload, connections, "requests/s (median of rounds)", true), 1);
        XYPlot latency = panel(results, servers, workload, connections, "p95 latency, ms (median of rounds)", false);
        for (int s = 0; s < servers.size(); s++) {
            latency.getRenderer().setSeriesVisibleInLegend(s, false); // the same servers as above, once in the legend
        }
        plot.add(latency, 1);
        JFreeChart chart = new JFreeChart("EmbedServe beside the HTTP peer: " + workload,
                new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.addSubtitle(new org.jfree.chart.title.TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        chart.setBackgroundPaint(Color.WHITE);
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart " + file, e);
        }
    }

    private static XYPlot panel(HttpResults results, List<String> servers, String workload, List<Integer> connections,
            String label, boolean throughput) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (String server : servers) {
            XYSeries series = new XYSeries(server);
            for (int c : connections) {
                // a failed run's figures are not drawn: the tables say why they are missing
                List<Double> valid = results.results(server, workload, c).stream().filter(run -> !run.failed())
                        .map(run -> throughput ? run.requestsPerSecond() : run.p95Millis()).toList();
                if (!valid.isEmpty()) {
                    series.add(c, GemmBenchmark.median(valid));
                }
            }
            data.addSeries(series);
        }
        NumberAxis values = new NumberAxis(label);
        values.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int s = 0; s < servers.size(); s++) {
            renderer.setSeriesStroke(s, new BasicStroke(2f));
            renderer.setSeriesPaint(s, color(servers.get(s), s));
            renderer.setSeriesShape(s, SHAPES[s % SHAPES.length]);
        }
        XYPlot panel = new XYPlot(data, null, values, renderer);
        panel.setBackgroundPaint(Color.WHITE);
        panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
        panel.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return panel;
    }

    /** The peer always in one colour, each EmbedServe dtype in its own, the same in both panels. */
    private static Color color(String server, int index) {
        if (server.equals(HttpResults.PEER)) {
            return new Color(0xD6, 0x27, 0x28);
        }
        List<Color> ours = List.of(new Color(0x1F, 0x77, 0xB4), new Color(0x2C, 0xA0, 0x2C), new Color(0x94, 0x67, 0xBD));
        return ours.get(index % ours.size());
    }
}
