package userboot4j;

/** Exit statuses from sysexits(3), as FreeBSD's tools use them. */
public final class Sysexits {
    public static final int EX_OK = 0;
    public static final int EX_USAGE = 64;
    public static final int EX_DATAERR = 65;
    public static final int EX_NOINPUT = 66;
    public static final int EX_UNAVAILABLE = 69;
    public static final int EX_SOFTWARE = 70;
    public static final int EX_OSERR = 71;
    public static final int EX_IOERR = 74;
    public static final int EX_NOPERM = 77;
    public static final int EX_CONFIG = 78;

    private Sysexits() {
    }
}
