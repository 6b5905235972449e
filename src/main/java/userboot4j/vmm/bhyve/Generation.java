package userboot4j.vmm.bhyve;

import com.sun.jna.NativeLibrary;
import java.util.ArrayList;
import java.util.List;
import userboot4j.BootException;
import userboot4j.Sysexits;

/**
 * The generations of libvmmapi, told apart by their exported symbols. FreeBSD 14 added {@code vm_vcpu_open}
 * and changed {@code vm_set_register}, {@code vm_set_desc} and {@code vm_setup_freebsd_registers*} to take
 * its {@code struct vcpu *} instead of the context and a vCPU number. FreeBSD 15 creates VMs through
 * {@code /dev/vmmctl} and adds {@code vm_openf}; the calls bhyveload makes keep 14's signatures, and 15.1's
 * bhyveload still creates and opens the VM with {@code vm_create} and {@code vm_open}, as here.
 */
enum Generation {
    FBSD13("FreeBSD 13's libvmmapi (vCPU calls taking the VM context and a vCPU number)", Libvmmapi.Fbsd13.class),
    FBSD14("FreeBSD 14's libvmmapi (vCPU calls taking a struct vcpu * from vm_vcpu_open)", Libvmmapi.Fbsd14.class,
            "vm_vcpu_open"),
    FBSD15("FreeBSD 15's libvmmapi (VMs made through /dev/vmmctl, vm_openf)", Libvmmapi.Fbsd14.class,
            "vm_vcpu_open", "vm_openf");

    final String description;
    final Class<? extends Libvmmapi> binding;
    private final List<String> symbols;

    Generation(String description, Class<? extends Libvmmapi> binding, String... extra) {
        this.description = description;
        this.binding = binding;
        this.symbols = new ArrayList<>(List.of("vm_create", "vm_open", "vm_reinit", "vm_set_memflags",
                "vm_setup_memory", "vm_map_gpa", "vm_get_lowmem_size", "vm_get_highmem_size", "vm_set_register",
                "vm_set_desc", "vm_setup_freebsd_registers", "vm_setup_freebsd_registers_i386"));
        this.symbols.addAll(List.of(extra));
    }

    /** The generation {@code lib} belongs to: 15's when it exports vm_openf, 14's with vm_vcpu_open, else 13's. */
    static Generation of(NativeLibrary lib) throws BootException {
        Generation g = exports(lib, "vm_openf") ? FBSD15 : exports(lib, "vm_vcpu_open") ? FBSD14 : FBSD13;
        List<String> missing = new ArrayList<>();
        for (String s : g.symbols) {
            if (!exports(lib, s)) {
                missing.add(s);
            }
        }
        if (!missing.isEmpty()) {
            throw new BootException(Sysexits.EX_UNAVAILABLE, lib.getFile() + " lacks " + String.join(", ", missing)
                    + ": expected " + FBSD15.description + ", " + FBSD14.description + " or " + FBSD13.description);
        }
        return g;
    }

    private static boolean exports(NativeLibrary lib, String symbol) {
        try {
            lib.getGlobalVariableAddress(symbol);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }
}
