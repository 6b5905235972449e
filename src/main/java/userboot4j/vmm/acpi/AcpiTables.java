package userboot4j.vmm.acpi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The firmware tables a bhyve guest finds, laid out where bhyve puts them in the BIOS area (so that the
 * kernel's scan of 0xe0000–0xfffff finds the RSDP): RSDP, RSDT, XSDT, MADT, FADT, FACS and DSDT.
 */
public final class AcpiTables {
    public static final long RSDP = 0xf2400;
    static final long RSDT = 0xf2440;
    static final long XSDT = 0xf2480;
    static final long MADT = 0xf2500;
    static final long FADT = 0xf2600;
    static final long FACS = 0xf27c0;
    static final long DSDT = 0xf2800;

    private AcpiTables() {
    }

    /** Guest physical address → table bytes. */
    public static Map<Long, byte[]> build() {
        Map<Long, byte[]> t = new LinkedHashMap<>();
        t.put(RSDP, Rsdp.build(RSDT, XSDT));
        t.put(RSDT, Rsdt.rsdt(MADT, FADT));
        t.put(XSDT, Rsdt.xsdt(MADT, FADT));
        t.put(MADT, Madt.build());
        t.put(FADT, Fadt.build(FACS, DSDT));
        t.put(FACS, Facs.build());
        t.put(DSDT, Dsdt.build());
        return t;
    }
}
