package org.ambassadord.spi.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Temporary directories for the data of stores the tests start (etcd's WAL and database).
 *
 * <p>etcd waits for {@code fdatasync} on every write. On a CI machine whose disk is busy
 * (packages unpacking, images importing) one sync can take seconds, and a test's own setup
 * write then times out although nothing under test is slow. The tests check what ambassadord
 * does with etcd's answers, not etcd's durability, so the data lives in memory
 * ({@code /dev/shm}) where the machine has it; a {@code kill} and restart of the store still
 * finds its data there.
 */
public final class ScratchDirectories {

    private static final Path SHARED_MEMORY = Path.of("/dev/shm");

    /**
     * Room the memory file system must have: etcd preallocates 64 MB per write-ahead log file,
     * and a container's {@code /dev/shm} is often only 64 MB (Docker's default).
     */
    private static final long ENOUGH_BYTES = 512L << 20;

    private ScratchDirectories() {
    }

    /**
     * A new directory in {@code /dev/shm} when that is writable and has room, else in the
     * default temporary folder.
     */
    public static Path inMemory(String prefix) throws IOException {
        if (Files.isDirectory(SHARED_MEMORY) && Files.isWritable(SHARED_MEMORY)
                && Files.getFileStore(SHARED_MEMORY).getUsableSpace() >= ENOUGH_BYTES) {
            return Files.createTempDirectory(SHARED_MEMORY, prefix);
        }
        return Files.createTempDirectory(prefix);
    }
}
