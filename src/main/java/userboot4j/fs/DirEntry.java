package userboot4j.fs;

/** One directory entry, as readdir returns it. */
public record DirEntry(String name, FileStat.Kind kind) {
}
