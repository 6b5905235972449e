package userboot4j.loader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import userboot4j.BootException;
import userboot4j.elf.ElfFile;
import userboot4j.elf.ElfHeader;
import userboot4j.fs.FileData;
import userboot4j.fs.FileStat;
import userboot4j.fs.FileSystem;
import userboot4j.memory.GuestMemory;

/**
 * One boot in progress: the loader's device, environment, guest memory, and the files loaded so far with
 * the load pointer after them. Its commands are those of the FreeBSD loader's command line that a boot
 * needs ({@code load}, {@code echo}, {@code set}, {@code unset}); loading follows stand/common/module.c.
 */
public final class Loader {
    /** How the loader opens a device other than the one it started on, by its name without the colon. */
    public interface Devices {
        FileSystem open(String device) throws BootException;
    }

    private FileSystem fs;
    private Devices devices;
    private final Environment env;
    private final GuestMemory memory;
    private final List<PreloadedFile> files = new ArrayList<>();
    private final List<Region> regions = new ArrayList<>();
    private final List<String> console = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private ModuleSearch search;
    private long loadaddr;

    /** A piece of guest memory and what the loader put there. */
    public record Region(long addr, long length, String content) {
    }

    /** Text printed without a newline, which the next line continues. */
    private String pending = "";
    /** Where the loader's lines also go as they are printed (an interactive console), or null. */
    private Interact.Console live;

    public Loader(FileSystem fs, Environment env, GuestMemory memory) {
        this.fs = fs;
        this.env = env;
        this.memory = memory;
        this.search = new ModuleSearch(fs, env, this::message);
    }

    void setLive(Interact.Console live) {
        this.live = live;
    }

    void setDevices(Devices devices) {
        this.devices = devices;
    }

    /** Reads from {@code device} from now on (the menu's choice of boot environment). */
    void setCurrdev(String device) throws BootException {
        if (devices == null) {
            throw new BootException.Unsupported("cannot open " + device + ": the loader has only its boot device");
        }
        fs = devices.open(device);
        search = new ModuleSearch(fs, env, this::message);
    }

    public FileSystem fs() {
        return fs;
    }

    public Environment env() {
        return env;
    }

    public GuestMemory memory() {
        return memory;
    }

    public List<PreloadedFile> files() {
        return Collections.unmodifiableList(files);
    }

    public List<Region> regions() {
        return Collections.unmodifiableList(regions);
    }

    /** What the loader printed on its console (messages and warnings), in order. */
    public List<String> console() {
        return Collections.unmodifiableList(console);
    }

    /** The lines among {@link #console()} that report an error or a warning, in order. */
    public List<String> errors() {
        return Collections.unmodifiableList(errors);
    }

    /** A line that reports an error or a warning: printed as any other, and kept for those who see no console. */
    void error(String line) {
        message(line);
        errors.add(line);
    }

    void message(String line) {
        console.add(pending + line);
        pending = "";
        if (live != null) {
            live.print(line + "\n");
        }
    }

    /** Prints {@code text} at the start of the next line (the Lua loader's printc). */
    void printc(String text) {
        pending += text;
        if (live != null) {
            live.print(text);
        }
    }

    /** command_unload: every file goes; the next one loads where the kernel did. */
    void unload() {
        files.clear();
        regions.clear();
        loadaddr = 0;
    }

    void region(long addr, long length, String content) {
        regions.add(new Region(addr & GuestMemory.ADDRESS_MASK, length, content));
    }

    /** file_findfile: the first file matching both name and type (null matches anything). */
    PreloadedFile findFile(String name, String type) {
        for (PreloadedFile f : files) {
            if ((name == null || name.equals(f.name())) && (type == null || type.equals(f.type()))) {
                return f;
            }
        }
        return null;
    }

    /** file_findmodule over every loaded file, in load order. */
    PreloadedFile.KernelModule findModule(String module, Dependency verinfo) {
        for (PreloadedFile f : files) {
            PreloadedFile.KernelModule m = f.findModule(module, verinfo);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    /** Runs one loader command line. */
    public void command(String line) throws BootException {
        command(CommandLine.split(line));
    }

    /** Runs one loader command, already split into words. */
    void command(List<String> argv) throws BootException {
        if (argv.isEmpty()) {
            return;
        }
        switch (argv.get(0)) {
            case "load" -> load(argv);
            case "echo" -> message(String.join(" ", argv.subList(1, argv.size())));
            case "set" -> {
                for (String a : argv.subList(1, argv.size())) {
                    env.put(a);
                }
            }
            case "unset" -> argv.subList(1, argv.size()).forEach(env::unset);
            default -> throw new BootException.Unsupported(
                    "loader command '" + argv.get(0) + "' is not supported (in: " + String.join(" ", argv) + ")");
        }
    }

    /** command_load: {@code load [-k] [-t TYPE] NAME [ARGS…]}; a type makes a raw file. */
    private void load(List<String> argv) throws BootException {
        String type = null;
        boolean kld = false;
        int i = 1;
        for (; i < argv.size() && argv.get(i).startsWith("-") && argv.get(i).length() > 1; i++) {
            String opt = argv.get(i);
            if (opt.equals("--")) {
                i++;
                break;
            }
            for (int k = 1; k < opt.length(); k++) {
                char c = opt.charAt(k);
                switch (c) {
                    case 'k' -> kld = true;
                    case 'd' -> { }
                    case 't', 'p', 's' -> {
                        String arg = k + 1 < opt.length() ? opt.substring(k + 1) : (++i < argv.size() ? argv.get(i) : null);
                        if (arg == null) {
                            throw new BootException.Usage("load: option -" + c + " needs an argument");
                        }
                        if (c == 't') {
                            type = arg;
                        }
                        k = opt.length();
                    }
                    default -> throw new BootException.Usage("load: unknown option -" + c);
                }
            }
        }
        if (i >= argv.size()) {
            throw new BootException.Usage("load: no filename specified");
        }
        String name = argv.get(i);
        List<String> args = argv.subList(i + 1, argv.size());
        if (type != null) {
            loadRaw(name, type);
        } else if (kld || ModuleSearch.hasPath(name)) {
            loadKld(name, args);
        } else {
            loadModule(name, null, args);
        }
    }

    /**
     * file_loadraw: the file's bytes placed unaligned at the load pointer, with no metadata. A missing
     * file only prints a message, as the loader's own defaults ask for /boot/entropy and /etc/hostid.
     */
    void loadRaw(String name, String type) throws BootException {
        if (files.isEmpty()) {
            throw new BootException.Config("can't load file before kernel");
        }
        String path = search.fileSearch(name, List.of(""));
        if (path == null) {
            throw new BootException.NotFound("can't find '" + name + "'");
        }
        try (FileData f = fs.open(path)) {
            long size = f.size();
            byte[] buf = new byte[(int) Math.min(size, 1 << 20)];
            if (!memory.accepts(loadaddr & GuestMemory.ADDRESS_MASK, size)) {
                throw new BootException.GuestMemory(String.format(
                        "%s: 0x%x bytes at guest address 0x%x do not fit in guest memory", path, size, loadaddr));
            }
            for (long done = 0; done < size; ) {
                int n = f.read(done, buf, 0, (int) Math.min(buf.length, size - done));
                if (n <= 0) {
                    break;
                }
                memory.copyin(loadaddr + done, buf, 0, n);
                done += n;
            }
            PreloadedFile fp = new PreloadedFile(path, type, loadaddr, size);
            message(path + " size=0x" + Long.toHexString(size));
            region(loadaddr, size, type + " " + path);
            files.add(fp);
            loadaddr += size;
        }
    }

    /**
     * mod_load: a module by name; nothing to do when a loaded file already provides it (its warning only
     * reaches the command's error buffer, which nobody prints: the prompt and config.lua stay silent).
     */
    void loadModule(String module, Dependency verinfo, List<String> args) throws BootException {
        if (ModuleSearch.hasPath(module)) {
            loadKld(module, args);
            return;
        }
        if (findModule(module, verinfo) != null) {
            return;
        }
        String path = search.searchModule(module, verinfo);
        if (path == null) {
            throw new BootException.NotFound("can't find '" + module + "'"); // also when no version is in range
        }
        loadKld(path, args);
    }

    /** mod_loadkld: a file by name, then the modules it depends on, after it in memory. */
    void loadKld(String name, List<String> args) throws BootException {
        String path = search.fileSearch(name, ModuleSearch.KLD_EXTENSIONS);
        if (path == null) {
            throw new BootException.NotFound("can't find '" + name + "'");
        }
        if (findFile(path, null) != null) {
            return; // a CMD_WARN, which the prompt does not print
        }
        PreloadedFile fp;
        try {
            fp = loadFile(path, loadaddr);
        } catch (BootException.InvalidFormat | BootException.Unsupported e) {
            if (files.isEmpty()) {
                throw e; // a kernel that cannot be loaded ends the boot: keep the whole reason
            }
            // the loader has printed the module's name; it adds why, then its command error
            String why = e.getMessage();
            message(path + " ");
            error(why.substring(why.lastIndexOf(": ") + 2));
            throw new BootException.InvalidFormat("can't load file '" + path + "': input/output error");
        }
        fp.setArgs(args.isEmpty() ? null : String.join(" ", args));
        long saved = loadaddr;
        int index = files.size();
        loadaddr = fp.addr() + fp.size();
        files.add(fp);
        try {
            loadDependencies(fp);
        } catch (BootException e) {
            // module.c drops the file and everything loaded after it, and restores the load pointer.
            files.subList(index, files.size()).clear();
            loadaddr = saved;
            throw e;
        }
    }

    /** file_load_dependencies: each DEPLIST item, newest first, loaded unless already satisfied. */
    private void loadDependencies(PreloadedFile fp) throws BootException {
        for (Metadata md : fp.metadata()) {
            if (md.type() != Metadata.DEPLIST) {
                continue;
            }
            Dependency d = ElfObjLoader.dependency(md.data());
            if (findModule(d.name(), d) != null) {
                continue;
            }
            message("loading required module '" + d.name() + "'");
            loadModule(d.name(), d, List.of());
            if (findModule(d.name(), d) == null) {
                throw new BootException.NotFound("can't find '" + d.name() + "'"); // hints promised another version
            }
        }
    }

    /**
     * file_load: the ELF loaders userboot registers, ELF64 executables (the kernel) and ELF64
     * relocatable objects (modules). A file none of them takes is refused with the reason.
     */
    private PreloadedFile loadFile(String path, long dest) throws BootException {
        FileStat st = fs.stat(path);
        if (!st.isRegular()) {
            throw new BootException.InvalidFormat(path + ": not a regular file");
        }
        try (FileData f = fs.open(path)) {
            ElfFile elf = ElfFile.read(f);
            ElfHeader h = elf.header();
            boolean amd64 = h.elfClass() == 64 && h.machine() == ElfHeader.EM_X86_64;
            boolean i386Kernel = h.elfClass() == 32 && h.machine() == ElfHeader.EM_386 && h.type() == ElfHeader.ET_EXEC;
            if (!amd64 && !i386Kernel) {
                throw new BootException.Unsupported(String.format(
                        "%s: ELF%d type %d for machine %d is neither an amd64 (ELF64, EM_X86_64) file nor an i386 "
                        + "(ELF32, EM_386) kernel", path, h.elfClass(), h.type(), h.machine()));
            }
            if (h.version() != 1) {
                throw new BootException.InvalidFormat(path + ": ELF version " + h.version() + " is not 1");
            }
            if (h.type() == ElfHeader.ET_REL && findFile(null, PreloadedFile.ELF_KERNEL) == null) {
                // each of userboot's three module formats that accepts the file says so, then file_load gives up
                for (int i = 0; i < 3; i++) {
                    error("elf64_obj_loadfile: can't load module before kernel");
                }
                throw new BootException.Config("can't load file '" + path + "': operation not permitted");
            }
            PreloadedFile fp = switch (h.type()) {
                case ElfHeader.ET_EXEC -> ElfKernelLoader.load(this, path, elf);
                case ElfHeader.ET_REL -> ElfObjLoader.load(this, path, elf, dest);
                default -> throw new BootException.Unsupported(
                        path + ": ELF type " + h.type() + " is neither a kernel (ET_EXEC) nor a module (ET_REL)");
            };
            if (fp.type().equals(PreloadedFile.ELF_KERNEL)) {
                env.set("kernelname", path); // ElfKernelLoader printed the kernel's line
            } else {
                message(String.format("%s size 0x%x at 0x%x", path, fp.size(), fp.addr()));
            }
            region(fp.addr(), fp.size(), fp.type() + " " + path);
            return fp;
        }
    }

    long loadaddr() {
        return loadaddr;
    }
}
