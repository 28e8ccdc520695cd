package vidkit.core;

/**
 * A frozen model beside the one being trained: another run's inference checkpoint, loaded once and
 * never updated; a task's loss may use its outputs (the tagging task distils them).
 *
 * @param run the teacher's run directory (required)
 */
public record TeacherConfig(String run) {
    public TeacherConfig {
        if (run == null || run.isBlank()) {
            throw new IllegalArgumentException("teacher.run: the teacher's run directory is required");
        }
    }
}
