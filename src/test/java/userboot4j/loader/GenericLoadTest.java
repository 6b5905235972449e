package userboot4j.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import userboot4j.BootImage;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Readelf;
import userboot4j.testsupport.Trees;

/**
 * FreeBSD 13.2's GENERIC kernel with linux64 asked for in loader.conf: the chain linux64 → linux_common →
 * netlink is pulled in, the sysv* dependencies are met by the kernel itself, and every address and size
 * follows from readelf's view of the files and the layout rules of load_elf.c and load_elf_obj.c.
 */
class GenericLoadTest {
    private static final long KERNBASE = 0xffffffff80000000L;
    private static Path tree;
    private static PreparedBoot prepared;

    @BeforeAll
    static void boot() throws Exception {
        tree = Trees.copy(Trees.generic(), "generic-linux64");
        Files.writeString(tree.resolve("boot/loader.conf"), "linux64_load=\"YES\"\n");
        try (HostFileSystem fs = HostFileSystem.open(tree)) {
            prepared = Userboot.boot(fs, new Userboot.Options(1L << 30, List.of()));
        }
    }

    @Test
    void dependencyChainLoadsInOrder() {
        assertThat(prepared.files()).extracting(PreloadedFile::name).containsExactly("/boot/kernel/kernel",
                "/boot/kernel/linux64.ko", "/boot/kernel/linux_common.ko", "/boot/kernel/netlink.ko");
        assertThat(prepared.files()).extracting(PreloadedFile::type).containsExactly("elf kernel",
                "elf obj module", "elf obj module", "elf obj module");
    }

    @Test
    void moduleVersionsAgreeWithFreeBsdsLinkerHints() throws Exception {
        String dump = Processes.run(List.of("python3", Path.of("src/test/resources/userboot4j/hints-dump.py")
                .toAbsolutePath().toString(), tree.resolve("boot/kernel/linker.hints").toString()), null);
        Set<String> hints = new HashSet<>(List.of(dump.split("\n")));
        for (PreloadedFile f : prepared.files()) {
            String base = f.name().substring(f.name().lastIndexOf('/') + 1);
            assertThat(f.modules()).as(f.name()).isNotEmpty();
            for (PreloadedFile.KernelModule m : f.modules()) {
                assertThat(hints).as("hints record for %s", m).contains(m.name() + " " + m.version() + " " + base);
            }
        }
        PreloadedFile kernel = prepared.files().get(0);
        for (String sysv : List.of("sysvmsg", "sysvsem", "sysvshm")) {
            assertThat(kernel.modules()).extracting(PreloadedFile.KernelModule::name).contains(sysv);
        }
    }

    @Test
    void kernelPlacementFollowsReadelf() throws Exception {
        assertKernelPlacement(tree, prepared);
    }

    @Test
    void modulesAreLaidOutLikeLoadElfObj() throws Exception {
        assertModuleLayout(tree, prepared);
    }

    /** The same readelf-based checks on the probe tree: kernel, chain and chosen version. */
    @Test
    void probeTreeFollowsReadelf() throws Exception {
        Path probe = Trees.probe();
        PreparedBoot p;
        try (HostFileSystem fs = HostFileSystem.open(probe)) {
            p = Userboot.boot(fs, new Userboot.Options(512L << 20, List.of()));
        }
        assertThat(p.files()).extracting(PreloadedFile::name).containsExactly("/boot/kernel/kernel",
                "/boot/kernel/probe_a.ko", "/boot/kernel/probe_b.ko", "/boot/kernel/probe_c.ko",
                "/boot/kernel/probe_ver2.ko");
        assertKernelPlacement(probe, p);
        assertModuleLayout(probe, p);
    }

    static void assertKernelPlacement(Path tree, PreparedBoot prepared) throws Exception {
        Path k = tree.resolve("boot/kernel/kernel");
        long first = Long.MAX_VALUE;
        long last = 0;
        for (Readelf.Segment s : Readelf.segments(k)) {
            if (s.type().equals("LOAD")) {
                first = Math.min(first, s.vaddr() - KERNBASE);
                last = Math.max(last, s.vaddr() - KERNBASE + s.memsz());
            }
        }
        long ssym = roundup(last, 8);
        Readelf.Section symtab = null;
        List<Readelf.Section> sections = Readelf.sections(k);
        for (Readelf.Section s : sections) {
            if (s.type().equals("SYMTAB")) {
                symtab = s;
            }
        }
        Readelf.Section strtab = sections.get(symtab.link());
        long esym = roundup(ssym + 8 + symtab.size(), 8);
        esym = roundup(esym + 8 + strtab.size(), 8);

        PreloadedFile kernel = prepared.files().get(0);
        assertThat(kernel.addr()).isEqualTo(first).isEqualTo(0x200000);
        assertThat(kernel.size()).isEqualTo(esym - first);
        assertThat(kernel.entry()).isEqualTo(Readelf.entry(k));
        assertThat(md(kernel, Metadata.SSYM)).isEqualTo(ssym);
        assertThat(md(kernel, Metadata.ESYM)).isEqualTo(esym);
        // The appended symbol table: its size word, then the bytes of .symtab as in the file.
        ByteBuffer page = ByteBuffer.wrap(read(prepared, ssym, 16)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(page.getLong(0)).isEqualTo(symtab.size());
        byte[] fileBytes = Files.readAllBytes(k);
        assertThat(read(prepared, ssym + 8, 8)).isEqualTo(java.util.Arrays.copyOfRange(fileBytes,
                (int) symtab.offset(), (int) symtab.offset() + 8));
        for (Readelf.Segment s : Readelf.segments(k)) {
            if (s.type().equals("LOAD") && s.filesz() >= 16) {
                assertThat(read(prepared, s.vaddr() - KERNBASE, 16)).as("segment at 0x%x", s.vaddr())
                        .isEqualTo(java.util.Arrays.copyOfRange(fileBytes, (int) s.offset(), (int) s.offset() + 16));
            }
        }
        Readelf.Segment dynamic = Readelf.segments(k).stream().filter(s -> s.type().equals("DYNAMIC")).findFirst().get();
        assertThat(md(kernel, Metadata.DYNAMIC)).isEqualTo(dynamic.vaddr());
    }

    static void assertModuleLayout(Path tree, PreparedBoot prepared) throws Exception {
        long loadaddr = prepared.files().get(0).addr() + prepared.files().get(0).size();
        for (PreloadedFile f : prepared.files().subList(1, prepared.files().size())) {
            long dest = roundup(loadaddr, 4096);
            List<Readelf.Section> sections = Readelf.sections(tree.resolve(f.name().substring(1)));
            long[] expected = new long[sections.size()];
            long at = dest;
            for (Readelf.Section s : sections) {
                if (s.size() != 0 && s.flags().contains("A") && List.of("PROGBITS", "NOBITS", "X86_64_UNWIND")
                        .contains(s.type())) {
                    at = roundup(at, Math.max(1, s.align()));
                    expected[s.index()] = at;
                    at += s.size();
                }
            }
            List<Readelf.Section> rest = new ArrayList<>();
            Readelf.Section symtab = sections.stream().filter(s -> s.type().equals("SYMTAB")).findFirst().get();
            rest.add(symtab);
            rest.add(sections.get(symtab.link()));
            rest.add(sections.stream().filter(s -> s.name().equals(".shstrtab")).findFirst().get());
            for (Readelf.Section s : sections) {
                if ((s.type().equals("RELA") || s.type().equals("REL")) && sections.get(s.info()).flags().contains("A")) {
                    rest.add(s);
                }
            }
            for (Readelf.Section s : rest) {
                at = roundup(at, Math.max(1, s.align()));
                expected[s.index()] = at;
                at += s.size();
            }
            assertThat(f.addr()).as(f.name()).isEqualTo(dest);
            assertThat(f.size()).as(f.name()).isEqualTo(at - dest);
            ByteBuffer shdr = ByteBuffer.wrap(metadata(f, Metadata.SHDR)).order(ByteOrder.LITTLE_ENDIAN);
            byte[] fileBytes = Files.readAllBytes(tree.resolve(f.name().substring(1)));
            for (Readelf.Section s : sections) {
                assertThat(shdr.getLong(s.index() * 64 + 16)).as("%s sh_addr of %s", f.name(), s.name())
                        .isEqualTo(expected[s.index()]);
                if (expected[s.index()] != 0 && !s.type().equals("NOBITS") && s.size() >= 16) {
                    assertThat(read(prepared, expected[s.index()], 16)).as("%s bytes of %s", f.name(), s.name())
                            .isEqualTo(java.util.Arrays.copyOfRange(fileBytes, (int) s.offset(), (int) s.offset() + 16));
                }
            }
            loadaddr = f.addr() + f.size();
        }
    }

    @Test
    void environmentHasTheLoadersVariables() {
        assertThat(prepared.env()).contains("kernelname=/boot/kernel/kernel", "kernel_path=/boot/kernel",
                "module_path=/boot/kernel;/boot/modules;/boot/dtb;/boot/dtb/overlays", "boot_serial=1",
                "smbios.bios.vendor=BHYVE", "currdev=host0:", "loaddev=host0:", "hint.uart.0.flags=0x10");
        assertThat(prepared.env()).noneMatch(e -> e.startsWith("linux64_load") || e.startsWith("loader_conf_files"));
        List<String> sorted = new ArrayList<>(prepared.env());
        sorted.sort(null);
        assertThat(prepared.env()).isEqualTo(sorted);
    }

    private static long md(PreloadedFile f, int type) {
        return ByteBuffer.wrap(metadata(f, type)).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    private static byte[] metadata(PreloadedFile f, int type) {
        return f.metadata().stream().filter(m -> m.type() == type).findFirst().orElseThrow().data();
    }

    private static byte[] read(PreparedBoot prepared, long gpa, int len) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            byte[] page = prepared.image().pages().get((gpa + i) / BootImage.PAGE_SIZE);
            out[i] = page == null ? 0 : page[(int) ((gpa + i) % BootImage.PAGE_SIZE)];
        }
        return out;
    }

    private static long roundup(long x, long a) {
        return (x + a - 1) / a * a;
    }
}
