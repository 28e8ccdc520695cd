package vidkit.core;

import java.util.List;

/**
 * A chart a task contributes to its runs' reports, as data: the report module draws it (XChart),
 * so tasks need no plotting library. Every item has a title, shown as its heading and alt text.
 */
public sealed interface ReportItem {
    String title();

    /**
     * A matrix as a heat map; {@code values[row][column]}.
     *
     * @param columnLabels one per column; {@code rowLabels} one per row
     */
    record HeatMap(String title, String columnTitle, String rowTitle, List<String> columnLabels, List<String> rowLabels,
            double[][] values) implements ReportItem {}

    /** Bars, one per category, each labelled. */
    record Bars(String title, String categoryTitle, String valueTitle, List<String> categories, List<Double> values)
            implements ReportItem {}

    /**
     * Intervals on a time axis, one row per track: e.g. a clip's true and predicted events.
     *
     * @param tracks the rows, top to bottom
     * @param length the axis length (seconds)
     */
    record Timeline(String title, List<Track> tracks, double length) implements ReportItem {}

    /** One row of a timeline: named intervals. */
    record Track(String name, List<Interval> intervals) {}

    /** {@code [start, end)} with a label. */
    record Interval(double start, double end, String label) {}
}
