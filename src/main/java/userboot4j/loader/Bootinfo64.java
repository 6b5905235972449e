package userboot4j.loader;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import userboot4j.BootException;
import userboot4j.vmm.MemoryLayout;

/**
 * userboot's {@code bi_load64}: places the environment block and the modinfo metadata after the last
 * loaded file (each page-aligned), adds HOWTO, ENVP, KERNEND and SMAP to the kernel's metadata, and
 * returns modulep and kernend.
 */
final class Bootinfo64 {
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

    record Result(long modulep, long kernend, long envp) {
    }

    private Bootinfo64() {
    }

    static Result load(Loader ctx, PreloadedFile kernel) throws BootException {
        int howto = Howto.compute(kernel.args(), ctx.env());
        kernel.setArgs(Howto.afterParsing(kernel.args()));
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

        long modulep = addr;
        int size = modules(ctx.files()).length;
        long kernend = ElfKernelLoader.roundup(modulep + size, PAGE);
        kernel.replaceMetadata(Metadata.KERNEND,
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(kernend).array());
        byte[] md = modules(ctx.files());
        ctx.memory().copyin(modulep, md);
        ctx.region(modulep, md.length, "modinfo metadata");
        return new Result(modulep, kernend, envp);
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

    /** bi_copymodules64: per file NAME, TYPE, [ARGS], ADDR, SIZE and its copied metadata; then END. */
    static byte[] modules(List<PreloadedFile> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PreloadedFile f : files) {
            record(out, MODINFO_NAME, cString(f.name()));
            record(out, MODINFO_TYPE, cString(f.type()));
            if (f.args() != null) {
                record(out, MODINFO_ARGS, cString(f.args()));
            }
            record(out, MODINFO_ADDR, u64(f.addr()));
            record(out, MODINFO_SIZE, u64(f.size()));
            for (Metadata md : f.metadata()) {
                if ((md.type() & Metadata.NOCOPY) == 0) {
                    record(out, MODINFO_METADATA | md.type(), md.data());
                }
            }
        }
        record(out, MODINFO_END, new byte[0]);
        return out.toByteArray();
    }

    private static void record(ByteArrayOutputStream out, int type, byte[] data) {
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(data.length);
        out.writeBytes(h.array());
        out.writeBytes(data);
        out.writeBytes(new byte[(int) (ElfKernelLoader.roundup(data.length, 8) - data.length)]);
    }

    static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }
}
