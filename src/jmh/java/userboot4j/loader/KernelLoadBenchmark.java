package userboot4j.loader;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import userboot4j.BootException;
import userboot4j.bench.BenchData;
import userboot4j.elf.ElfFile;
import userboot4j.elf.ProgramHeader;
import userboot4j.fs.CompressedFiles;
import userboot4j.fs.FileData;
import userboot4j.fs.FileSystem;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.memory.MemoryLayout;
import userboot4j.memory.SparseMemory;

/**
 * FreeBSD 13.2's GENERIC kernel (31.5 MB, symbol table kept) loaded into fresh offline guest memory from
 * a host directory, as {@code inspect -h} does: {@code kernel} is the ELF load (segments, bss, symbols,
 * metadata, the kernel's module records) and the modinfo block; {@code boot} is the whole boot with
 * BenchData's loader.conf (configuration files, the kernel, linux64 → linux_common → netlink, modinfo,
 * page tables). The files stay in the page cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KernelLoadBenchmark {
    /** Each file's name, guest address and size as FreeBSD's userboot.so loads this tree (the oracle's run). */
    private static final List<String> ORACLE_FILES = List.of("/boot/kernel/kernel 0x200000 0x213e2d0",
            "/boot/kernel/linux64.ko 0x233f000 0x623a8", "/boot/kernel/linux_common.ko 0x23a2000 0x1e928",
            "/boot/kernel/netlink.ko 0x23c1000 0x29ca8");

    private FileSystem fs;

    @Setup
    public void setup() throws Exception {
        fs = new CompressedFiles(HostFileSystem.open(BenchData.genericTree()));
        Loader loader = kernel();
        check(List.of(loader.findFile(null, PreloadedFile.ELF_KERNEL)), ORACLE_FILES.subList(0, 1));
        checkSegments(loader);
        check(boot().files(), ORACLE_FILES);
    }

    @Benchmark
    public Loader kernel() throws BootException {
        Loader loader = new Loader(fs, Userboot.initialEnvironment(List.of()),
                new SparseMemory(MemoryLayout.forSize(MemoryLayout.DEFAULT_SIZE)));
        loader.command("load /boot/kernel/kernel");
        Bootinfo.load(loader, loader.findFile(null, PreloadedFile.ELF_KERNEL), fs.device() + ":");
        return loader;
    }

    @Benchmark
    public PreparedBoot boot() throws BootException {
        return Userboot.boot(fs, new Userboot.Options(MemoryLayout.DEFAULT_SIZE, List.of()));
    }

    private static void check(List<PreloadedFile> files, List<String> expected) {
        List<String> got = files.stream()
                .map(f -> f.name() + " 0x" + Long.toHexString(f.addr()) + " 0x" + Long.toHexString(f.size())).toList();
        if (!got.equals(expected)) {
            throw new IllegalStateException("loaded " + got + ", FreeBSD's loader " + expected);
        }
    }

    /** Each PT_LOAD's bytes in guest memory, at its physical address, are the file's. */
    private void checkSegments(Loader loader) throws BootException {
        try (FileData f = fs.open("/boot/kernel/kernel")) {
            for (ProgramHeader p : ElfFile.read(f).programHeaders()) {
                if (p.type() == ProgramHeader.PT_LOAD && !Arrays.equals(
                        loader.memory().copyout(p.paddr(), (int) p.filesz()),
                        f.readFully(p.offset(), (int) p.filesz()).array())) {
                    throw new IllegalStateException("the segment at 0x" + Long.toHexString(p.paddr()) + " differs");
                }
            }
        }
    }
}
