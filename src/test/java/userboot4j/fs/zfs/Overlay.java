package userboot4j.fs.zfs;

import java.util.function.LongUnaryOperator;
import userboot4j.BootException;
import userboot4j.disk.Volume;

/**
 * A device read through a patch: {@code patch} gives the byte at each offset of [at, at+length) in place of
 * what the device holds there; nothing is written.
 */
record Overlay(Volume base, long at, long length, LongUnaryOperator patch) implements Volume {
    /** {@code bytes} in place of what the device holds at {@code at}. */
    Overlay(Volume base, long at, byte[] bytes) {
        this(base, at, bytes.length, p -> bytes[(int) p]);
    }

    /** {@code base} with its allocatable space (between the front and the back labels) overwritten with noise. */
    static Overlay garbage(Volume base) {
        long end = (base.size() & -VdevLabel.LABEL_SIZE) - 2L * VdevLabel.LABEL_SIZE;
        return new Overlay(base, Spa.LABEL_START, end - Spa.LABEL_START, p -> {
            long z = (p >>> 3) * 0x9e3779b97f4a7c15L; // splitmix64's finalizer over the word number
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return (z ^ (z >>> 31)) >>> ((p & 7) * 8);
        });
    }

    @Override
    public String name() {
        return base.name();
    }

    @Override
    public long size() {
        return base.size();
    }

    @Override
    public int sectorSize() {
        return base.sectorSize();
    }

    @Override
    public void read(long pos, byte[] dst, int off, int len) throws BootException {
        base.read(pos, dst, off, len);
        for (long p = Math.max(pos, at); p < Math.min(pos + len, at + length); p++) {
            dst[off + (int) (p - pos)] = (byte) patch.applyAsLong(p - at);
        }
    }
}
