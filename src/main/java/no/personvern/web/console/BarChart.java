package no.personvern.web.console;

import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart drawn on the server as SVG (no script, no style attribute: positions as SVG attributes,
 * colours from console.css by class). Each bar is one or two stacked parts; the same figures go into a
 * table beside it, the chart's text alternative.
 *
 * @param rows the figures, one row per bar: its label and the value of each series
 */
public record BarChart(int width, int height, long max, List<Bar> bars, List<String> series, List<Row> rows) {

    static final int WIDTH = 600;
    static final int HEIGHT = 160;
    static final int TOP = 10;
    static final int BOTTOM = 20;
    static final int LEFT = 40;
    /** Room right of the last bar for its date under the axis. */
    static final int RIGHT = 24;

    /** One column: its parts bottom up, and its label under the axis when {@code labelled} (the last, and every so many back from it). */
    public record Bar(String label, boolean labelled, double x, double width, double labelX, List<Part> parts) {
    }

    public record Part(String css, double y, double height) {
    }

    public record Row(String label, List<Long> values) {
    }

    /** A chart of {@code rows}, each with one value per series (stacked in the order given). */
    static BarChart of(List<String> series, List<String> seriesCss, List<Row> rows, int labelEvery) {
        long max = 1;
        for (Row row : rows) {
            max = Math.max(max, row.values().stream().mapToLong(Long::longValue).sum());
        }
        double plot = HEIGHT - TOP - BOTTOM;
        double slot = rows.isEmpty() ? 0 : (double) (WIDTH - LEFT - RIGHT) / rows.size();
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            double base = HEIGHT - BOTTOM;
            List<Part> parts = new ArrayList<>();
            for (int s = 0; s < row.values().size(); s++) {
                double h = plot * row.values().get(s) / max;
                base -= h;
                parts.add(new Part(seriesCss.get(s), round(base), round(h)));
            }
            double x = LEFT + i * slot + slot * 0.15;
            bars.add(new Bar(row.label(), (rows.size() - 1 - i) % labelEvery == 0, round(x), round(slot * 0.7),
                    round(x + slot * 0.35), parts));
        }
        return new BarChart(WIDTH, HEIGHT, max, bars, series, rows);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    public int axisY() {
        return HEIGHT - BOTTOM;
    }

    public int left() {
        return LEFT;
    }

    public int top() {
        return TOP;
    }

    public String viewBox() {
        return "0 0 " + width + " " + height;
    }
}
