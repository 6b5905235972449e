package userboot4j.loader.menu;

import userboot4j.BootException;
import userboot4j.fs.FileSystem;
import userboot4j.loader.Environment;
import userboot4j.loader.Interact;

/** What the menu asks of the loader: the Lua loader's {@code loader} table, as far as the menu uses it. */
public interface Host {
    Environment env();

    /** The boot device's files, for the kernels under /boot. */
    FileSystem fs();

    Interact.Console console();

    /** loader.perform: one command line, as typed at the prompt; its error is not printed. */
    void perform(String command) throws BootException;

    /** True once a boot command has succeeded. */
    boolean booting();

    /** config.selectKernel: the kernel the next boot loads, when nothing is loaded. */
    void selectKernel(String kernel);

    /**
     * bootenvSet: boot the boot environment {@code be} ({@code zfs:POOL/DATASET}) — the root and currdev
     * become it and the configuration is read again from it.
     */
    void bootenvSet(String be) throws BootException;
}
