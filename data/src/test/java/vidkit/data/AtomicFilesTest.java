package vidkit.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes and the sweeping of temporaries left by killed writers (dead pid) but not live ones. */
class AtomicFilesTest {
    /** The pid of a process that has exited. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void writesLeaveOnlyTheTargetAndSweepingDeletesOnlyDeadWritersTemporaries(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("lib.vkemb");
        AtomicFiles.writeString(target, "one");
        assertEquals("one", Files.readString(target));
        assertEquals(1, count(dir), "no temporary left by a completed write");
        assertTrue(AtomicFiles.tempPrefix(target).startsWith(".lib.vkemb." + ProcessHandle.current().pid() + "-"));

        long dead = deadPid();
        Path stale = Files.writeString(dir.resolve(".lib.vkemb." + dead + "-123.tmp"), "half");
        Path live = Files.writeString(dir.resolve(".lib.vkemb." + ProcessHandle.current().pid() + "-456.tmp"), "busy");
        Path other = Files.writeString(dir.resolve(".other.npy." + dead + "-7.tmp"), "half");
        Path foreign = Files.writeString(dir.resolve(".lib.vkemb.notapid.tmp"), "x");
        Path staleDir = Files.createDirectories(dir.resolve(".index." + dead + "-99"));
        Files.writeString(staleDir.resolve("segments_1"), "x");

        assertEquals(1, AtomicFiles.sweepStale(target, ".tmp"));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(live), "a live writer's temporary is kept");
        assertTrue(Files.exists(other), "another target's temporary is not this sweep's");
        assertTrue(Files.exists(foreign), "a name without a pid is left alone");
        assertEquals(1, AtomicFiles.sweepStale(dir.resolve("index"), ""));
        assertFalse(Files.exists(staleDir), "a killed build's directory, with its files");
        assertEquals(1, AtomicFiles.sweepStaleIn(dir, ".tmp"), "every dead writer's temporary in the directory");
        assertFalse(Files.exists(other));
        assertTrue(Files.exists(live) && Files.exists(foreign) && Files.exists(target));
    }
}
