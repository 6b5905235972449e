package userboot4j.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A file the loader placed in guest memory ({@code struct preloaded_file}): its path, type, arguments,
 * guest address and size, its metadata, and the kernel modules (name and version) it provides.
 */
public final class PreloadedFile {
    public static final String ELF_KERNEL = "elf kernel";
    public static final String ELF64_KERNEL = "elf64 kernel";
    public static final String ELF_OBJ_MODULE = "elf obj module";

    /** A module a file provides, from its MDT_VERSION records ({@code struct kernel_module}). */
    public record KernelModule(String name, int version) {
    }

    private final String name;
    private final String type;
    private String args;
    private final long addr;
    private final long size;
    private final List<Metadata> metadata = new ArrayList<>();
    private final List<KernelModule> modules = new ArrayList<>();
    /** NAME NUL VERSION of each module: GENERIC records hundreds, and a list search for each was quadratic. */
    private final java.util.Set<String> moduleKeys = new java.util.HashSet<>();
    /** The ELF entry point and class (32 or 64), for kernels. */
    long entry;
    int elfClass = 64;

    PreloadedFile(String name, String type, long addr, long size) {
        this.name = name;
        this.type = type;
        this.addr = addr;
        this.size = size;
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    /** Arguments joined by single spaces, or null when there are none (then no MODINFO_ARGS record). */
    public String args() {
        return args;
    }

    void setArgs(String args) {
        this.args = args;
    }

    public long addr() {
        return addr;
    }

    public long size() {
        return size;
    }

    public long entry() {
        return entry;
    }

    /** False for an i386 (ELF32) kernel, which boots through the i386 path. */
    public boolean is64() {
        return elfClass == 64;
    }

    /** Metadata in the order the kernel receives it: newest first, as file_addmetadata prepends. */
    public List<Metadata> metadata() {
        List<Metadata> out = new ArrayList<>(metadata);
        Collections.reverse(out);
        return out;
    }

    void addMetadata(int type, byte[] data) {
        metadata.add(new Metadata(type, data.clone()));
    }

    void addMetadata64(int type, long value) {
        addMetadata(type, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    /** Replaces the data of the newest item of {@code type} (bi_load64 patches KERNEND this way). */
    void replaceMetadata(int type, byte[] data) {
        for (int i = metadata.size() - 1; i >= 0; i--) {
            if (metadata.get(i).type() == type) {
                metadata.set(i, new Metadata(type, data.clone()));
                return;
            }
        }
        throw new IllegalStateException("no metadata of type " + type);
    }

    public List<KernelModule> modules() {
        return Collections.unmodifiableList(modules);
    }

    /** file_addmodule: a second record of the same name and version in one file is ignored. */
    void addModule(String module, int version) {
        if (moduleKeys.add(module + '\0' + version)) {
            modules.add(new KernelModule(module, version));
        }
    }

    /** file_findmodule within this file: the preferred version, else the highest in range. */
    KernelModule findModule(String module, Dependency verinfo) {
        KernelModule best = null;
        // file_addmodule prepends, so the C loader walks the newest record first.
        for (int i = modules.size() - 1; i >= 0; i--) {
            KernelModule m = modules.get(i);
            if (!m.name().equals(module)) {
                continue;
            }
            if (verinfo == null || m.version() == verinfo.preferred()) {
                return m;
            }
            if (m.version() >= verinfo.minimum() && m.version() <= verinfo.maximum()
                    && (best == null ? m.version() > 0 : m.version() > best.version())) {
                best = m;
            }
        }
        return best;
    }
}
