package userboot4j.dev;

import userboot4j.BootException;
import userboot4j.Sysexits;

/**
 * A device name the loader cannot use, with the errno it gives (in libsa's strerror words), which the
 * prompt prints alone ({@code set currdev}) or after the name ({@code open '…' failed}).
 */
public final class DeviceException extends BootException {
    public static final String ENOENT = "no such file or directory";
    public static final String EINVAL = "invalid argument";
    public static final String ENXIO = "device not configured";
    public static final String EIO = "input/output error";
    public static final String EUNIT = "bad unit number";
    public static final String ESLICE = "bad slice number";
    public static final String EPART = "bad partition number";

    private final String strerror;

    public DeviceException(String device, String strerror) {
        this(device, strerror, null);
    }

    /** @param why what was wrong, in our words, for the command line's message; or null */
    public DeviceException(String device, String strerror, String why) {
        super(Sysexits.EX_NOINPUT, device + (device.endsWith(":") ? " " : ": ") + strerror
                + (why == null ? "" : " (" + why + ")"));
        this.strerror = strerror;
    }

    public String strerror() {
        return strerror;
    }
}
