package userboot4j.fs;

/** What stat(2) tells the loader about a file: its kind and size. */
public record FileStat(Kind kind, long size) {
    public enum Kind { REGULAR, DIRECTORY, SYMLINK, OTHER }

    public boolean isRegular() {
        return kind == Kind.REGULAR;
    }

    public boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }
}
