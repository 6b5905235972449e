package userboot4j.console;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The C library's terminal calls. {@code struct termios} is opaque here except for c_cflag, the third
 * tcflag_t on Linux and FreeBSD alike; the few flag values that differ between them are chosen at run time.
 */
interface Termios extends Library {
    Termios INSTANCE = Native.load("c", Termios.class);

    /** Larger than struct termios on either system (Linux 60 bytes, FreeBSD 44). */
    int SIZE = 256;
    int C_CFLAG = 8;
    int TCSAFLUSH = 2;
    int O_RDWR = 2;
    int O_NONBLOCK = Platform.isLinux() ? 0x800 : 0x4;
    int CLOCAL = Platform.isLinux() ? 0x800 : 0x8000;
    /** FreeBSD's is _IOR('f', 127, int). */
    long FIONREAD = Platform.isLinux() ? 0x541b : 0x4004667fL;
    int EINTR = 4;
    int EAGAIN = Platform.isLinux() ? 11 : 35;

    int open(String path, int flags);

    int close(int fd);

    long read(int fd, byte[] buf, long count);

    long write(int fd, byte[] buf, long count);

    int ioctl(int fd, long request, IntByReference arg);

    int isatty(int fd);

    int tcgetattr(int fd, Pointer termios);

    int tcsetattr(int fd, int when, Pointer termios);

    void cfmakeraw(Pointer termios);
}
