package vidkit.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import vidkit.core.RunDirectory;
import vidkit.data.AtomicFiles;

/** Rewrites {@code metrics.csv} (atomically) after every epoch; a resumed run keeps its earlier lines. */
final class MetricsCsvListener implements TrainingListener {
    private final RunDirectory run;
    private final List<String> earlier;
    private final List<String> lines = new ArrayList<>();

    /** {@code earlier}: the data lines of the epochs already done (a resumed run). */
    MetricsCsvListener(RunDirectory run, List<String> earlier) {
        this.run = run;
        this.earlier = List.copyOf(earlier);
    }

    @Override
    public void epochFinished(EpochRecord r) throws IOException {
        if (lines.isEmpty()) {
            lines.add(r.csvHeader());
            lines.addAll(earlier);
        }
        lines.add(r.csvLine());
        AtomicFiles.writeString(run.metrics(), String.join("\n", lines) + "\n");
    }
}
