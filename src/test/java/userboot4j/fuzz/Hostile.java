package userboot4j.fuzz;

import userboot4j.BootException;
import userboot4j.disk.Volume;

/** What every fuzz target shares: guest bytes as a disk, and the one invariant of every refusal. */
public final class Hostile {
    private Hostile() {
    }

    /** {@code data} as disk0 with 512-byte sectors. */
    public static Volume volume(byte[] data) {
        return new Volume() {
            @Override
            public String name() {
                return "disk0";
            }

            @Override
            public long size() {
                return data.length;
            }

            @Override
            public int sectorSize() {
                return 512;
            }

            @Override
            public void read(long pos, byte[] dst, int off, int len) throws BootException {
                check(pos, len);
                System.arraycopy(data, (int) pos, dst, off, len);
            }
        };
    }

    /** A refusal is one line that says something: the message the user sees. */
    public static void check(BootException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.contains("\n")) {
            throw new AssertionError("a refusal must be one line, not: " + m, e);
        }
    }
}
