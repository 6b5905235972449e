package userboot4j.vmm.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The few libc calls the KVM backend needs, through JNA. Each throws with errno when it fails. */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int O_RDWR = 2;
    int O_CLOEXEC = 0x80000;
    int ENOENT = 2;
    int EACCES = 13;
    int PROT_READ = 1;
    int PROT_WRITE = 2;
    int MAP_SHARED = 0x01;
    int MAP_PRIVATE = 0x02;
    int MAP_ANONYMOUS = 0x20;
    int MAP_NORESERVE = 0x4000;
    Pointer MAP_FAILED = new Pointer(-1);
    /** The JVM installs a handler that ignores SIGPIPE: sending it to the vCPU thread only ends KVM_RUN. */
    int SIGPIPE = 13;

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    int ioctl(int fd, long request, long arg) throws LastErrorException;

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

    int munmap(Pointer addr, long length) throws LastErrorException;

    long pthread_self();

    int pthread_kill(long thread, int sig);
}
