package userboot4j.testsupport;

/**
 * A loader's screen as text to compare: escape sequences (cursor moves, colours, ESC c) and the spinner's
 * steps (a character and a backspace) removed, as where the cursor goes and when the spinner turns differ
 * harmlessly between loaders.
 */
public final class Screens {
    private Screens() {
    }

    public static String text(String console) {
        return console.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]|\u001bc", "").replaceAll("[-\\\\|/]\u0008", "");
    }
}
