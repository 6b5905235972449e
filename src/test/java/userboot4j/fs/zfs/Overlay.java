package userboot4j.fs.zfs;

import userboot4j.BootException;
import userboot4j.disk.Volume;

/** A device read through a patch: {@code bytes} in place of what it holds at {@code at}; nothing is written. */
record Overlay(Volume base, long at, byte[] bytes) implements Volume {
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
        for (int i = 0; i < len; i++) {
            long p = pos + i - at;
            if (p >= 0 && p < bytes.length) {
                dst[off + i] = bytes[(int) p];
            }
        }
    }
}
