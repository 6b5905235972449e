package userboot4j.loader;

import java.util.List;
import userboot4j.BootImage;

/**
 * A boot as the loader prepared it: the {@link BootImage} a backend runs, and for inspection what made it:
 * the hand-off's modulep and kernend, the files loaded, the environment, the regions the loader wrote, the
 * lines it printed and, among them, those that report an error or a warning, and the release profile it
 * followed.
 */
public record PreparedBoot(
        BootImage image,
        long modulep,
        long kernend,
        List<PreloadedFile> files,
        List<String> env,
        List<Loader.Region> regions,
        List<String> console,
        List<String> errors,
        ReleaseChoice release) {
}
