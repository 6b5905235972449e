package userboot4j.loader;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import userboot4j.BootException;
import userboot4j.memory.MemoryLayout;

/**
 * What userboot's {@code bi_load64} and {@code bi_load32} share: the boot flags (which may set variables and
 * cut the kernel's arguments), the root file system from /etc/fstab, then the environment block and the
 * modinfo metadata after the last loaded file (each page-aligned), with HOWTO, ENVP, KERNEND and SMAP
 * added to the kernel's metadata. The loader is an amd64 program, so both write the same 8-byte ADDR,
 * SIZE, ENVP and KERNEND records.
 */
final class Bootinfo {
    static final int MODINFO_END = 0x0000;
    static final int MODINFO_NAME = 0x0001;
    static final int MODINFO_TYPE = 0x0002;
    static final int MODINFO_ADDR = 0x0003;
    static final int MODINFO_SIZE = 0x0004;
    static final int MODINFO_ARGS = 0x0006;
    static final int MODINFO_METADATA = 0x8000;
    static final long PAGE = 4096;
    /** struct bios_smap: base, length (u64), type (u32), packed. */
    static final int SMAP_ENTRY = 20;
    static final int SMAP_TYPE_MEMORY = 1;
    static final long BASEMEM = 640 * 1024;
    static final long EXTMEM_BASE = 0x100000;
    /** struct keybuf with room for GELI_MAX_KEYS (64) entries of 4 + 512 bytes. */
    static final int KEYBUF_SIZE = 4 + 64 * (4 + 512);

    record Result(long modulep, long kernend, long envp, int howto) {
    }

    private Bootinfo() {
    }

    static Result load(Loader ctx, PreloadedFile kernel, String currdev) throws BootException {
        int howto = Howto.compute(kernel.args(), ctx.env());
        kernel.setArgs(Howto.afterParsing(kernel.args()));
        String rootdev = ctx.env().get("rootdev") != null ? ctx.env().get("rootdev") : currdev;
        if (!rootdev.equals(currdev) && !rootdev.equals(ctx.fs().device())) {
            throw new BootException.Config("can't determine root device from rootdev=" + rootdev);
        }
        RootMount.set(ctx, currdev);
        long addr = 0;
        for (PreloadedFile f : ctx.files()) {
            addr = Math.max(addr, f.addr() + f.size());
        }
        addr = ElfKernelLoader.roundup(addr, PAGE);

        byte[] envBlock = ctx.env().block();
        long envp = addr;
        ctx.memory().copyin(envp, envBlock);
        ctx.region(envp, envBlock.length, "environment");
        addr = ElfKernelLoader.roundup(envp + envBlock.length, PAGE);

        kernel.addMetadata(Metadata.HOWTO, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(howto).array());
        kernel.addMetadata64(Metadata.ENVP, envp);
        kernel.addMetadata64(Metadata.KERNEND, 0);
        kernel.addMetadata(Metadata.SMAP, smap(ctx.memory().layout()));
        if (!kernel.is64()) {
            // bi_load32 exports GELI keys (userboot is built with GELI support): none here, so an empty
            // key buffer. The C loader leaves some bytes of it uninitialised; we write zeros.
            kernel.addMetadata(Metadata.KEYBUF, new byte[KEYBUF_SIZE]);
        }

        long modulep = addr;
        int size = modules(ctx.files(), kernel.is64()).length;
        long kernend = ElfKernelLoader.roundup(modulep + size, PAGE);
        kernel.replaceMetadata(Metadata.KERNEND,
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(kernend).array());
        byte[] md = modules(ctx.files(), kernel.is64());
        ctx.memory().copyin(modulep, md);
        ctx.region(modulep, md.length, "modinfo metadata");
        return new Result(modulep, kernend, envp, howto);
    }

    /** The SMAP userboot reports: base memory, extended lowmem from 1 MiB, and highmem if any. */
    static byte[] smap(MemoryLayout layout) {
        int n = layout.highmem() > 0 ? 3 : 2;
        ByteBuffer b = ByteBuffer.allocate(n * SMAP_ENTRY).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0).putLong(BASEMEM).putInt(SMAP_TYPE_MEMORY);
        b.putLong(EXTMEM_BASE).putLong(layout.lowmem() - EXTMEM_BASE).putInt(SMAP_TYPE_MEMORY);
        if (layout.highmem() > 0) {
            b.putLong(MemoryLayout.HIGHMEM_BASE).putLong(layout.highmem()).putInt(SMAP_TYPE_MEMORY);
        }
        return b.array();
    }

    /**
     * md_copymodules: per file NAME, TYPE, [ARGS], ADDR, SIZE and its copied metadata; then END. For a
     * 64-bit kernel records are 8-byte aligned and ADDR is 8 bytes; for a 32-bit one they are 4-byte
     * aligned and ADDR is 4 bytes. SIZE is the loader's size_t, 8 bytes, either way.
     */
    static byte[] modules(List<PreloadedFile> files, boolean kern64) {
        int align = kern64 ? 8 : 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PreloadedFile f : files) {
            record(out, MODINFO_NAME, cString(f.name()), align);
            record(out, MODINFO_TYPE, cString(f.type()), align);
            if (f.args() != null) {
                record(out, MODINFO_ARGS, cString(f.args()), align);
            }
            record(out, MODINFO_ADDR, ElfKernelLoader.word(f.addr(), kern64 ? 8 : 4), align);
            record(out, MODINFO_SIZE, ElfKernelLoader.word(f.size(), 8), align);
            for (Metadata md : f.metadata()) {
                if ((md.type() & Metadata.NOCOPY) == 0) {
                    record(out, MODINFO_METADATA | md.type(), md.data(), align);
                }
            }
        }
        record(out, MODINFO_END, new byte[0], align);
        return out.toByteArray();
    }

    private static void record(ByteArrayOutputStream out, int type, byte[] data, int align) {
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(data.length);
        out.writeBytes(h.array());
        out.writeBytes(data);
        out.writeBytes(new byte[(int) (ElfKernelLoader.roundup(data.length, align) - data.length)]);
    }

    static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

}
