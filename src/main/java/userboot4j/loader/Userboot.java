package userboot4j.loader;

import java.util.List;
import java.util.function.Function;
import userboot4j.BootException;
import userboot4j.BootImage;
import userboot4j.amd64.Amd64Exec;
import userboot4j.amd64.EntryState;
import userboot4j.amd64.I386Exec;
import userboot4j.dev.Devices;
import userboot4j.dev.Devopen;
import userboot4j.fs.FileSystem;
import userboot4j.loader.menu.Color;
import userboot4j.loader.menu.Core;
import userboot4j.loader.menu.Menu;
import userboot4j.memory.MemoryLayout;
import userboot4j.memory.SparseMemory;

/**
 * A whole boot as bhyveload and userboot.so perform it, with no hypervisor: the environment bhyveload
 * passes, the variables the loader sets itself, the guest's loader.conf, the kernel and its modules, and
 * the hand-off ({@code bi_load64} then {@code elf64_exec}).
 */
public final class Userboot {
    /**
     * What the user chose on bhyveload's command line: memory size, the {@code -e} strings in order; and the
     * loader release to follow, or null to follow the guest's.
     */
    public record Options(long memsize, List<String> env, LoaderRelease release) {
        public Options(long memsize, List<String> env) {
            this(memsize, env, null);
        }
    }

    private Userboot() {
    }

    /** The boot from one file system as its only device, without a console. */
    public static PreparedBoot boot(FileSystem fs, Options options) throws BootException {
        return boot(env -> fs, fs.device() + ":", null, options, null);
    }

    /**
     * The boot from bhyveload's devices, from the currdev userboot picks, with the loader's console on
     * {@code console} when it is not null: its lines as they are printed, then the countdown and the prompt
     * (Interact) before the hand-off.
     */
    public static PreparedBoot boot(Devices devices, Options options, Interact.Console console) throws BootException {
        return boot(env -> new Devopen(devices, () -> env.get("currdev")), devices.currdev(), devices, options,
                console);
    }

    /**
     * The release profile a boot from {@code devices} follows: the one {@code options} force, else the one
     * the /boot/lua of userboot's currdev shows.
     */
    public static ReleaseChoice release(Devices devices, Options options) throws BootException {
        if (options.release() != null) {
            return ReleaseChoice.forced(options.release());
        }
        String currdev = devices.currdev();
        return ReleaseChoice.of(new Devopen(devices, () -> currdev));
    }

    private static PreparedBoot boot(Function<Environment, FileSystem> files, String currdev, Devices devices,
            Options options, Interact.Console console) throws BootException {
        MemoryLayout layout = MemoryLayout.forSize(options.memsize());
        SparseMemory memory = new SparseMemory(layout);
        Environment env = initialEnvironment(options.env());
        env.set("currdev", currdev);
        env.set("loaddev", currdev);
        if (devices != null) {
            devices.variables(currdev).forEach(env::set);
        }
        env.set("script.lang", "lua");

        Loader loader = new Loader(files.apply(env), env, memory);
        loader.setLive(console);
        if (devices != null) {
            devices.messages().forEach(loader::message);
        }
        String scripts = GuestScripts.check(loader.fs());
        if (scripts != null) {
            loader.error(scripts);
        }
        ReleaseChoice release = options.release() != null ? ReleaseChoice.forced(options.release())
                : ReleaseChoice.of(loader.fs());
        Config config = new Config(loader, release.release());
        Core core = new Core(env, release.release(), config::enableModule);
        config.load();
        if (console != null && Color.enabled(env)) {
            console.print(Color.RESET);
        }
        // with the menu, the kernel and modules load when the user boots, and the kernel is the one chosen
        if (console == null) {
            config.loadKernel(); // nobody at the console: a kernel that cannot be loaded ends the boot
            config.loadModules();
        } else if (Menu.skipped(env)) {
            config.loadelf(); // loader.lua; a kernel not found leaves the boot to interact and its prompt
        }
        if (console != null) {
            new Interact(loader, config, devices, console, core).run();
        }

        PreloadedFile kernel = loader.findFile(null, PreloadedFile.ELF_KERNEL);
        Bootinfo.Result bi = Bootinfo.load(loader, kernel, env.get("currdev"));
        EntryState entry;
        if (kernel.is64()) {
            entry = Amd64Exec.exec(memory, kernel.entry(), bi.modulep(), bi.kernend());
            loader.region(Amd64Exec.STACK, SparseMemory.PAGE_SIZE, "boot stack (modulep, kernend)");
            loader.region(Amd64Exec.PML4, SparseMemory.PAGE_SIZE, "page map level 4");
            loader.region(Amd64Exec.PDPT, SparseMemory.PAGE_SIZE, "page directory pointer table");
            loader.region(Amd64Exec.PD, SparseMemory.PAGE_SIZE, "page directory (2 MiB pages, first GiB)");
            loader.region(Amd64Exec.GDT, Amd64Exec.GDT_SIZE, "GDT");
        } else {
            long bootinfo = LegacyBootinfo.write(loader, kernel, bi);
            entry = I386Exec.exec(memory, kernel.entry(), bi.howto() | Howto.RB_BOOTINFO, bootinfo, bi.modulep(),
                    bi.kernend());
            loader.region(I386Exec.STACK, SparseMemory.PAGE_SIZE, "boot stack (howto, bootinfo, modulep, kernend)");
            loader.region(I386Exec.GDT, I386Exec.GDT_SIZE, "GDT (written by vm_setup_freebsd_registers_i386)");
        }
        memory.requireFits();
        return new PreparedBoot(new BootImage(layout, memory.pages(), entry), bi.modulep(), bi.kernend(),
                loader.files(), env.entries(), loader.regions(), loader.console(), loader.errors(), release);
    }

    /**
     * The environment before the guest's configuration is read: what the loader sets while starting
     * (console, twiddle_divisor, LINES, module_verbose), then bhyveload's strings, which it hands over
     * last first: boot_serial=1, smbios.bios.vendor=BHYVE, then the -e strings from the last to the
     * first, each overwriting (so the first -e of a name wins, and -e overrides bhyveload's two).
     */
    static Environment initialEnvironment(List<String> dashE) {
        Environment env = new Environment();
        env.set("console", "userboot");
        env.set("twiddle_divisor", "16");
        env.set("LINES", "24");
        env.set("module_verbose", "2");
        env.put("boot_serial=1");
        env.put("smbios.bios.vendor=BHYVE");
        for (int i = dashE.size() - 1; i >= 0; i--) {
            env.put(dashE.get(i));
        }
        return env;
    }
}
