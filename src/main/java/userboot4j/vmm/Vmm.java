package userboot4j.vmm;

import userboot4j.BootException;
import userboot4j.BootImage;

/**
 * What every backend does with a {@link BootImage}: puts its pages in guest memory and gives the first vCPU
 * its entry state. Running the guest, where a backend does, differs too much between them to share.
 */
public interface Vmm extends AutoCloseable {
    void load(BootImage image) throws BootException;

    /** Releases what the backend holds here; a backend that leaves the VM to another program keeps it. */
    @Override
    void close();
}
