package userboot4j.loader;

/**
 * One item of a preloaded file's metadata list ({@code struct file_metadata}): a MODINFOMD type and its
 * bytes. Types with {@link #NOCOPY} set stay in the loader and never reach the kernel.
 */
public record Metadata(int type, byte[] data) {
    public static final int NOCOPY = 0x8000;
    public static final int ELFHDR = 0x0002;
    public static final int SSYM = 0x0003;
    public static final int ESYM = 0x0004;
    public static final int DYNAMIC = 0x0005;
    public static final int ENVP = 0x0006;
    public static final int HOWTO = 0x0007;
    public static final int KERNEND = 0x0008;
    public static final int SHDR = 0x0009;
    public static final int CTORS_ADDR = 0x000a;
    public static final int CTORS_SIZE = 0x000b;
    public static final int KEYBUF = 0x000d;
    public static final int SMAP = 0x1001;
    public static final int DEPLIST = 0x4001 | NOCOPY;

    /** The name FreeBSD gives the type, without the MODINFOMD_ prefix. */
    public static String name(int type) {
        return switch (type) {
            case 0x0001 -> "AOUTEXEC";
            case ELFHDR -> "ELFHDR";
            case SSYM -> "SSYM";
            case ESYM -> "ESYM";
            case DYNAMIC -> "DYNAMIC";
            case ENVP -> "ENVP";
            case HOWTO -> "HOWTO";
            case KERNEND -> "KERNEND";
            case SHDR -> "SHDR";
            case CTORS_ADDR -> "CTORS_ADDR";
            case CTORS_SIZE -> "CTORS_SIZE";
            case 0x000c -> "FW_HANDLE";
            case KEYBUF -> "KEYBUF";
            case 0x000e -> "FONT";
            case 0x000f -> "SPLASH";
            case SMAP -> "SMAP";
            case DEPLIST -> "DEPLIST";
            default -> String.format("0x%x", type);
        };
    }
}
