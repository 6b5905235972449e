package userboot4j.loader;

/** A module dependency with its version range ({@code struct mod_depend} plus the module name). */
public record Dependency(String name, int minimum, int preferred, int maximum) {
}
