package io.scriptforge.runner.app.files;

/** The name a file is stored under: what an upload gives and a download's Content-Disposition shows. */
final class FileName {
    static final int MAX_LENGTH = 255;

    private FileName() {}

    /**
     * {@code name} when it is usable.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static String validated(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("the file name is missing (give name=<file name>)");
        }
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            throw new IllegalArgumentException("the file name is longer than " + MAX_LENGTH + " characters");
        }
        if (name.indexOf('/') >= 0) {
            throw new IllegalArgumentException(
                    "file name '" + name + "' contains '/' (a name, not a path, is expected)");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the file name contains a NUL character");
        }
        return name;
    }
}
