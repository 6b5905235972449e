package userboot4j.dev;

import java.util.List;
import userboot4j.BootException;
import userboot4j.fs.FileSystem;

/** One device switch of conf.c's devsw table: a kind of device the loader can list, name and open. */
public interface Devsw {
    /** The prefix of its device names (dv_name): {@code host}, {@code disk}, {@code zfs}. */
    String name();

    /** dv_print: the lines {@code lsdev} (with {@code -v}: {@code verbose}) shows for these devices. */
    List<String> print(boolean verbose) throws BootException;

    /**
     * parsedev: the device named at the start of {@code spec} (which begins with {@link #name()}) and the
     * path after its colon.
     */
    Parsed parse(String spec) throws BootException;

    /** The file system on device {@code d}, before gzip and bzip2 decoration. */
    FileSystem open(Devdesc d) throws BootException;

    /** A parsed {@code DEVICE:PATH}. */
    record Parsed(Devdesc device, String path) {
    }
}
