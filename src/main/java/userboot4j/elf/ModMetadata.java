package userboot4j.elf;

import userboot4j.BootException;

/**
 * One record of FreeBSD's {@code set_modmetadata_set} linker set ({@code struct mod_metadata}), decoded:
 * a dependency with its version range, a module declaration, a module version, or PNP information.
 */
public sealed interface ModMetadata permits ModMetadata.Depend, ModMetadata.Module, ModMetadata.Version,
        ModMetadata.PnpInfo {
    int MDT_DEPEND = 1;
    int MDT_MODULE = 2;
    int MDT_VERSION = 3;
    int MDT_PNP_INFO = 4;
    /** Module names are read into a buffer of this size, NUL included (MAXMODNAME). */
    int MAXMODNAME = 32;

    /** MDT_DEPEND: {@code struct mod_depend} and the name of the module depended on. */
    record Depend(String name, int minimum, int preferred, int maximum) implements ModMetadata {
    }

    /** MDT_MODULE: a module the file declares. */
    record Module(String name) implements ModMetadata {
    }

    /** MDT_VERSION: {@code struct mod_version} of a module the file provides. */
    record Version(String name, int version) implements ModMetadata {
    }

    /**
     * MDT_PNP_INFO: a PNP match table for bus {@code name}. The loader never needs the table, so it is read
     * only when asked for (kldxref writes it into linker.hints): a damaged table cannot stop a boot.
     */
    record PnpInfo(String name, Reader reader) implements ModMetadata {
        public PnpTable table() throws BootException {
            return reader.read();
        }

        /** Reads the table from the file the record came from. */
        @FunctionalInterface
        public interface Reader {
            PnpTable read() throws BootException;
        }
    }
}
