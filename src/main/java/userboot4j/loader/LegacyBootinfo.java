package userboot4j.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import userboot4j.BootException;

/**
 * The i386 kernel's legacy {@code struct bootinfo} (sys/i386/include/bootinfo.h), which userboot's
 * {@code bi_load32} copies to guest address 0x2000 followed by the kernel's name.
 */
final class LegacyBootinfo {
    static final long ADDRESS = 0x2000;
    static final int BOOTINFO_VERSION = 1;
    /**
     * sizeof(struct bootinfo) in FreeBSD 13.2: the classic fields (84 bytes) then EFI-era fields the
     * loader leaves zero (a 4-byte version and six 8-byte values, 8-aligned).
     */
    static final int SIZE = 136;
    static final int BASEMEM_KB = 640;

    private LegacyBootinfo() {
    }

    /** Writes the structure and the kernel's name; returns the structure's guest address. */
    static long write(Loader ctx, PreloadedFile kernel, Bootinfo.Result bi) throws BootException {
        long ssym = 0;
        long esym = 0;
        for (Metadata m : kernel.metadata()) {
            if (m.type() == Metadata.SSYM) {
                ssym = value(m);
            } else if (m.type() == Metadata.ESYM) {
                esym = value(m);
            }
        }
        if (ssym == 0 || esym == 0) {
            ssym = 0;
            esym = 0;
        }
        String name = ctx.env().get("kernelname");
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, BOOTINFO_VERSION);
        b.putInt(4, (int) (ADDRESS + SIZE)); // bi_kernelname: the string right after the structure
        b.putInt(48, SIZE);                  // bi_size
        b.put(52, (byte) 1);                 // bi_memsizes_valid
        b.putInt(56, BASEMEM_KB);
        b.putInt(60, (int) ((ctx.memory().layout().lowmem() - 0x100000) / 1024));
        b.putInt(64, (int) ssym);
        b.putInt(68, (int) esym);
        b.putInt(72, (int) bi.kernend());
        b.putInt(76, (int) bi.envp());
        b.putInt(80, (int) bi.modulep());
        ctx.memory().copyin(ADDRESS, b.array());
        byte[] s = Bootinfo.cString(name == null ? "" : name);
        ctx.memory().copyin(ADDRESS + SIZE, s);
        ctx.region(ADDRESS, SIZE + s.length, "i386 struct bootinfo and kernel name");
        return ADDRESS;
    }

    private static long value(Metadata m) {
        ByteBuffer b = ByteBuffer.wrap(java.util.Arrays.copyOf(m.data(), 8)).order(ByteOrder.LITTLE_ENDIAN);
        return b.getLong(0);
    }
}
