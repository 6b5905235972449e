package userboot4j.dev;

/**
 * A parsed device (libsa's struct devdesc): the switch that owns it and what that switch needs to find it.
 * {@link #toString()} is the switch's fmtdev, with the trailing colon ({@code disk0p2:}).
 */
public interface Devdesc {
    Devsw devsw();
}
