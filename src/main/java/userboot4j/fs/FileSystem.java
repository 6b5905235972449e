package userboot4j.fs;

import java.util.List;
import userboot4j.BootException;

/**
 * A file system the loader reads its guest's files from. Paths are absolute, '/'-separated, as the
 * loader spells them after the device prefix ({@code /boot/kernel/kernel}). Symbolic links are followed.
 */
public interface FileSystem extends AutoCloseable {
    /** The loader's name of the device this file system lives on, without the colon, e.g. {@code host0}. */
    String device();

    /** Kind and size of the file at {@code path}; {@link BootException.NotFound} when it does not exist. */
    FileStat stat(String path) throws BootException;

    /** Opens a regular file for reading. */
    FileData open(String path) throws BootException;

    /** The entries of a directory, without {@code .} and {@code ..}, in the file system's order. */
    List<DirEntry> readdir(String path) throws BootException;

    /** True when {@code path} names an existing regular file; never throws for a missing one. */
    default boolean isRegularFile(String path) throws BootException {
        try {
            return stat(path).isRegular();
        } catch (BootException.NotFound e) {
            return false;
        }
    }

    @Override
    default void close() throws BootException {
    }
}
