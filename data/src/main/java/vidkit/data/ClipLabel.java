package vidkit.data;

/**
 * One row of a dataset's {@code labels.csv}.
 *
 * @param label the event class, {@code 0..classes-1}
 * @param event the class name
 * @param group the source video ({@code youtube_id}): clips of one group stay on one side of a split
 */
public record ClipLabel(int label, String event, String group) {}
