package vidkit.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a crash never leaves a half-written one: the content goes to a temporary
 * file in the target's directory ({@code .NAME.PID-RANDOM.tmp}), is forced to disk, and is then
 * renamed over the target. A process killed mid-write leaves its temporary behind; writers of large
 * outputs (libraries, indexes, shards; the trainer, for a run's checkpoints, once per launch) call
 * {@link #sweepStale} or {@link #sweepStaleIn} first, which delete those of dead processes (not
 * every small write: they list the directory).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes what {@code body} produces to a new file, then renames it into place. */
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code target} atomically. */
    public static void write(Path target, Body body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, tempPrefix(target), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.writeTo(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The prefix of {@code target}'s temporary siblings: {@code .NAME.PID-}, so that a later writer
     * can tell the leftovers of a process that died (SIGKILL, power loss) from a live writer's.
     */
    public static String tempPrefix(Path target) {
        return "." + target.getFileName() + "." + ProcessHandle.current().pid() + "-";
    }

    /**
     * Deletes the temporary siblings of {@code target} (files or directories named {@link
     * #tempPrefix} + anything + {@code suffix}) whose writing process is no longer alive: what a
     * killed writer left behind. A live process's temporaries (another writer, or this one) are
     * kept. Returns how many were deleted. Best effort: a leftover that cannot be deleted stays.
     */
    public static int sweepStale(Path target, String suffix) {
        return sweep(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".", suffix);
    }

    /**
     * Like {@link #sweepStale(Path, String)} for every target in {@code dir}: deletes each {@code
     * .NAME.PID-*SUFFIX} whose process is dead (a checkpoint directory: a kill during a best
     * checkpoint's write leaves a temporary that no later write of that name may come to sweep).
     */
    public static int sweepStaleIn(Path dir, String suffix) {
        return sweep(dir.toAbsolutePath(), ".", suffix);
    }

    private static int sweep(Path dir, String head, String suffix) {
        int deleted = 0;
        try (java.util.stream.Stream<Path> siblings = Files.list(dir)) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                String name = p.getFileName().toString();
                if (!name.startsWith(head) || !name.endsWith(suffix)) {
                    continue;
                }
                // .NAME.PID-RANDOM SUFFIX, RANDOM being digits: the pid lies between the last '-' and the '.' before it
                int dash = name.lastIndexOf('-');
                int dot = dash < 0 ? -1 : name.lastIndexOf('.', dash);
                if (dot < Math.max(1, head.length() - 1)) {
                    continue; // no name before a pid: not one of ours
                }
                long pid;
                try {
                    pid = Long.parseLong(name.substring(dot + 1, dash));
                } catch (NumberFormatException e) {
                    continue; // not ours (or written before temporaries carried a pid)
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                try {
                    deleteTree(p);
                    deleted++;
                } catch (IOException e) {
                    // best effort
                }
            }
        } catch (IOException e) {
            // the directory is unreadable: the write itself will say so
        }
        return deleted;
    }

    /** Deletes a file, or a directory with everything in it (symbolic links are not followed). */
    public static void deleteTree(Path p) throws IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // already gone
        }
    }

    /** Writes a UTF-8 string atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
