package vidkit.train;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real data beside the checkout, for tests of every task module. */
public final class TestData {
    private TestData() {}

    /** {@code ../shared/data/std2022/train}: the AVE clips' features and labels; fails loudly when missing. */
    public static Path courseData() {
        Path p = Path.of(System.getProperty("vidkit.sharedData", "../shared/data")).resolve("std2022/train");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("real test data missing: expected " + p.toAbsolutePath());
        }
        return p;
    }
}
