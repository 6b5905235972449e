package userboot4j.fuzz;

import userboot4j.BootException;
import userboot4j.disk.Volume;

/** What every fuzz target shares: guest bytes as a disk, and the one invariant of every refusal. */
public final class Hostile {
    private Hostile() {
    }

    /** {@code data} as disk0 with 512-byte sectors. */
    public static Volume volume(byte[] data) {
        return volume(data, 0);
    }

    /** disk0: {@code zeros} zero bytes, then {@code data}. */
    public static Volume volume(byte[] data, long zeros) {
        return volume(data, zeros, zeros + data.length);
    }

    /** disk0 of {@code size} bytes: {@code data} at offset {@code zeros}, zeros around it. */
    public static Volume volume(byte[] data, long zeros, long size) {
        return new Volume() {
            @Override
            public String name() {
                return "disk0";
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public int sectorSize() {
                return 512;
            }

            @Override
            public void read(long pos, byte[] dst, int off, int len) throws BootException {
                check(pos, len);
                java.util.Arrays.fill(dst, off, off + len, (byte) 0);
                long from = Math.max(pos, zeros);
                long to = Math.min(pos + len, zeros + data.length);
                if (from < to) {
                    System.arraycopy(data, (int) (from - zeros), dst, off + (int) (from - pos), (int) (to - from));
                }
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
