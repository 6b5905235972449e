package userboot4j.amd64;

/**
 * A register callback userboot.so makes as its last act ({@code struct loader_callbacks}: setreg, setmsr,
 * setcr, setgdt, exec). bhyveload turns each into libvmmapi calls; {@link EntryState#loaderCalls()} lists
 * them in the order the loader makes them.
 */
public sealed interface LoaderCall {
    /** setreg: a general register by its number in the loader's numbering (4 is RSP). */
    record SetReg(int reg, long value) implements LoaderCall {
    }

    /** setmsr: a model-specific register. */
    record SetMsr(int msr, long value) implements LoaderCall {
    }

    /** setcr: control register CR{@code cr}. */
    record SetCr(int cr, long value) implements LoaderCall {
    }

    /** setgdt: the GDT's base and the size the loader passes (bhyveload sets the limit to size - 1). */
    record SetGdt(long base, long size) implements LoaderCall {
    }

    /** exec: start the guest at {@code rip}. */
    record Exec(long rip) implements LoaderCall {
    }

    /** The loader's number for RSP in setreg. */
    int REG_RSP = 4;
    /** MSR_EFER. */
    int MSR_EFER = 0xc0000080;
}
