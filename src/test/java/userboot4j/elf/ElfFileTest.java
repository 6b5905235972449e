package userboot4j.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import userboot4j.BootException;
import userboot4j.fs.FileData;
import userboot4j.fs.host.HostFileSystem;
import userboot4j.testsupport.Processes;
import userboot4j.testsupport.Readelf;
import userboot4j.testsupport.Require;
import userboot4j.testsupport.Trees;

/** ELF headers, sections and symbols against readelf's view of the same files, and hostile variants. */
class ElfFileTest {
    @TempDir
    Path dir;

    static ElfFile open(HostFileSystem fs, String path) throws BootException {
        FileData f = fs.open(path);
        return ElfFile.read(f);
    }

    static void assertMatchesReadelf(ElfFile elf, Path file) throws Exception {
        List<Readelf.Segment> segs = Readelf.segments(file);
        assertThat(elf.programHeaders()).hasSameSizeAs(segs);
        for (int i = 0; i < segs.size(); i++) {
            ProgramHeader p = elf.programHeaders().get(i);
            Readelf.Segment s = segs.get(i);
            assertThat(new long[] {p.offset(), p.vaddr(), p.paddr(), p.filesz(), p.memsz()})
                    .as("program header %d", i).containsExactly(s.offset(), s.vaddr(), s.paddr(), s.filesz(), s.memsz());
        }
        List<Readelf.Section> secs = Readelf.sections(file);
        assertThat(elf.sections()).hasSameSizeAs(secs);
        for (int i = 0; i < secs.size(); i++) {
            SectionHeader h = elf.sections().get(i);
            Readelf.Section s = secs.get(i);
            assertThat(h.name()).isEqualTo(s.name());
            assertThat(new long[] {h.addr(), h.offset(), h.size(), h.link(), h.info(), h.addralign()})
                    .as("section %d %s", i, s.name())
                    .containsExactly(s.addr(), s.offset(), s.size(), s.link(), s.info(), s.align());
        }
    }

    @Test
    void genericKernelAndModuleAgreeWithReadelf() throws Exception {
        Path tree = Trees.generic();
        try (HostFileSystem fs = HostFileSystem.open(tree)) {
            for (String f : List.of("/boot/kernel/kernel", "/boot/kernel/linux64.ko", "/boot/kernel/netlink.ko")) {
                ElfFile elf = open(fs, f);
                assertMatchesReadelf(elf, tree.resolve(f.substring(1)));
            }
            ElfFile kernel = open(fs, "/boot/kernel/kernel");
            assertThat(kernel.header().entry()).isEqualTo(Readelf.entry(tree.resolve("boot/kernel/kernel")));
            assertThat(kernel.header().type()).isEqualTo(ElfHeader.ET_EXEC);
            assertThat(kernel.header().bytes()).hasSize(64);
        }
    }

    @Test
    void symbolsAgreeWithReadelf() throws Exception {
        Path tree = Trees.probe();
        Path ko = tree.resolve("boot/kernel/probe_a.ko");
        String listing = Processes.run(List.of("readelf", "-sW", ko.toString()), null);
        try (HostFileSystem fs = HostFileSystem.open(tree)) {
            ElfFile elf = open(fs, "/boot/kernel/probe_a.ko");
            SectionHeader symtab = elf.sections().stream().filter(s -> s.type() == SectionHeader.SHT_SYMTAB)
                    .findFirst().orElseThrow();
            List<Symbol> syms = elf.symbols(symtab);
            for (Symbol s : syms) {
                if (!s.name().isEmpty() && (s.info() & 0xf) != 3) {
                    assertThat(listing).as(s.name()).containsPattern(String.format("%d: %016x +%d .* %s\\n",
                            s.index(), s.value(), s.size(), java.util.regex.Pattern.quote(s.name())));
                }
            }
            assertThat(syms).extracting(Symbol::name).contains("probe_a_hello", "probe_a_table");
        }
    }

    @Test
    void elf32ObjectsParse() throws Exception {
        Require.tool("gcc");
        Path c = dir.resolve("m.c");
        Files.writeString(c, "int counter = 3;\nint get(void) { return counter; }\n");
        Path o = dir.resolve("m.o");
        Processes.run(List.of("gcc", "-m32", "-ffreestanding", "-fno-pic", "-O2", "-c", c.toString(), "-o",
                o.toString()), null);
        try (HostFileSystem fs = HostFileSystem.open(dir)) {
            ElfFile elf = open(fs, "/m.o");
            assertThat(elf.header().elfClass()).isEqualTo(32);
            assertThat(elf.header().machine()).isEqualTo(ElfHeader.EM_386);
            assertThat(elf.header().bytes()).hasSize(52);
            assertMatchesReadelf(elf, o);
            SectionHeader symtab = elf.sections().stream().filter(s -> s.type() == SectionHeader.SHT_SYMTAB)
                    .findFirst().orElseThrow();
            assertThat(elf.symbols(symtab)).extracting(Symbol::name).contains("counter", "get");
        }
    }

    private ElfFile variant(String name, java.util.function.Consumer<ByteBuffer> change) throws Exception {
        byte[] b = Files.readAllBytes(Trees.probe().resolve("boot/kernel/probe_c.ko"));
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        change.accept(bb);
        Files.write(dir.resolve(name), b);
        try (HostFileSystem fs = HostFileSystem.open(dir)) {
            return ElfFile.read(fs.open("/" + name));
        }
    }

    @Test
    void hostileHeadersEndInOneClearError() {
        assertThatThrownBy(() -> variant("magic", b -> b.put(1, (byte) 'X')))
                .isInstanceOf(BootException.InvalidFormat.class).hasMessageContaining("/magic").hasMessageContaining("bad magic");
        assertThatThrownBy(() -> variant("big", b -> b.put(5, (byte) 2)))
                .isInstanceOf(BootException.Unsupported.class).hasMessageContaining("big-endian");
        assertThatThrownBy(() -> variant("class", b -> b.put(4, (byte) 7)))
                .isInstanceOf(BootException.InvalidFormat.class).hasMessageContaining("ELF class 7");
        assertThatThrownBy(() -> variant("shoff", b -> b.putLong(40, 0x7fff_ffff_0000L)))
                .isInstanceOf(BootException.InvalidFormat.class).hasMessageContaining("section header table");
        assertThatThrownBy(() -> variant("shnum", b -> b.putShort(60, (short) 0xffff)))
                .isInstanceOf(BootException.InvalidFormat.class).hasMessageContaining("section header table");
        assertThatThrownBy(() -> variant("shstrndx", b -> b.putShort(62, (short) 200)))
                .isInstanceOf(BootException.InvalidFormat.class).hasMessageContaining("section name table index 200");
        assertThatThrownBy(() -> variant("phentsize", b -> {
            b.putShort(56, (short) 1);
            b.putShort(54, (short) 12);
        })).isInstanceOf(BootException.InvalidFormat.class).hasMessageContaining("program header size 12");
        assertThatThrownBy(() -> variant("name", b -> {
            b.putInt((int) (b.getLong(40) + 64L * 1), 0x7fffff00);
        })).isInstanceOf(BootException.InvalidFormat.class).hasMessageContaining("name offset");
    }
}
