package userboot4j.loader;

/**
 * What loader.conf says about one module through its {@code NAME_load}, {@code NAME_name},
 * {@code NAME_type}, {@code NAME_flags}, {@code NAME_before}, {@code NAME_after} and {@code NAME_error}
 * lines. Unset properties are null.
 */
public final class ModuleEntry {
    final String key;
    String load;
    String name;
    String type;
    String flags;
    String before;
    String after;
    String error;
    /** Enabled by the loader itself (core.lua's ACPI), so module_blacklist does not apply. */
    boolean force;

    ModuleEntry(String key) {
        this.key = key;
    }

    boolean enabled() {
        return load != null && load.equalsIgnoreCase("yes");
    }

    /** The name given to {@code load}: {@code NAME_name} if set, else the key itself. */
    String loadName() {
        return name != null ? name : key;
    }

    /** The {@code load} command config.lua composes: {@code load [-t TYPE] NAME [FLAGS]}. */
    String loadCommand() {
        StringBuilder sb = new StringBuilder("load ");
        if (type != null) {
            sb.append("-t ").append(type).append(' ');
        }
        sb.append(loadName());
        if (flags != null) {
            sb.append(' ').append(flags);
        }
        return sb.toString();
    }
}
