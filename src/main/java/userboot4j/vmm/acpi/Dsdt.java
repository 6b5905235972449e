package userboot4j.vmm.acpi;

/**
 * The Differentiated System Description Table (ACPI 5.2.11.1): the AML description of the platform's
 * devices. Ours declares none yet; the kernel accepts an empty one and finds COM1 through its hints.
 */
final class Dsdt {
    static final int REVISION = 2;

    private Dsdt() {
    }

    static byte[] build() {
        return SdtHeader.seal(SdtHeader.table("DSDT", SdtHeader.SIZE, REVISION, "BVDSDT"));
    }
}
