package userboot4j.vmm.bhyve;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import userboot4j.BootException;
import userboot4j.Sysexits;

/** libvmmapi as loaded here: the library, its generation, and the vCPU calls of that generation. */
public class Vmmapi {
    /** The library's name; JNA looks for libvmmapi.so on the system paths and jna.library.path. */
    public static final String LIBRARY = "vmmapi";

    final Libvmmapi lib;
    final Generation generation;

    Vmmapi(Libvmmapi lib, Generation generation) {
        this.lib = lib;
        this.generation = generation;
    }

    /** Loads libvmmapi, or says in one line that this host has none. */
    public static Vmmapi load() throws BootException {
        return load(LIBRARY);
    }

    /** Loads the library {@code name} (a name JNA searches for, or a path). */
    static Vmmapi load(String name) throws BootException {
        NativeLibrary nl;
        try {
            nl = NativeLibrary.getInstance(name);
        } catch (UnsatisfiedLinkError e) {
            throw new BootException(Sysexits.EX_UNAVAILABLE, "libvmmapi is not available on this host: bhyveload needs "
                    + "FreeBSD's bhyve (here, use 'userboot4j inspect', or 'userboot4j run' under Linux KVM)");
        }
        Generation g = Generation.of(nl);
        return new Vmmapi(Native.load(name, g.binding), g);
    }

    /** The boot processor's vCPU calls (vm_vcpu_open where the generation has it). */
    Vcpu vcpu(Pointer ctx, int id) {
        if (lib instanceof Libvmmapi.Fbsd14 l) {
            Pointer v = l.vm_vcpu_open(ctx, id);
            return new Vcpu() {
                @Override
                public int setRegister(int reg, long val) {
                    return l.vm_set_register(v, reg, val);
                }

                @Override
                public int setDesc(int reg, long base, int limit, int access) {
                    return l.vm_set_desc(v, reg, base, limit, access);
                }

                @Override
                public int setupFreebsdRegisters(long rip, long cr3, long gdtbase, long rsp) {
                    return l.vm_setup_freebsd_registers(v, rip, cr3, gdtbase, rsp);
                }

                @Override
                public int setupFreebsdRegistersI386(int eip, int gdtbase, int esp) {
                    return l.vm_setup_freebsd_registers_i386(v, eip, gdtbase, esp);
                }
            };
        }
        Libvmmapi.Fbsd13 l = (Libvmmapi.Fbsd13) lib;
        return new Vcpu() {
            @Override
            public int setRegister(int reg, long val) {
                return l.vm_set_register(ctx, id, reg, val);
            }

            @Override
            public int setDesc(int reg, long base, int limit, int access) {
                return l.vm_set_desc(ctx, id, reg, base, limit, access);
            }

            @Override
            public int setupFreebsdRegisters(long rip, long cr3, long gdtbase, long rsp) {
                return l.vm_setup_freebsd_registers(ctx, id, rip, cr3, gdtbase, rsp);
            }

            @Override
            public int setupFreebsdRegistersI386(int eip, int gdtbase, int esp) {
                return l.vm_setup_freebsd_registers_i386(ctx, id, eip, gdtbase, esp);
            }
        };
    }

    /** The C library's strerror, for messages in perror's form. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        String strerror(int errnum);
    }

    /** perror's line for the call that just failed on this thread. */
    static String perror(String what) {
        return what + ": " + LibC.INSTANCE.strerror(Native.getLastError());
    }
}
