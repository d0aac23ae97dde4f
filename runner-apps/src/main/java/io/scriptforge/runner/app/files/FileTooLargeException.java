package io.scriptforge.runner.app.files;

/** An upload went past its size limit; nothing of it was stored. */
public final class FileTooLargeException extends IllegalArgumentException {
    private final long maxBytes;

    public FileTooLargeException(String name, long maxBytes) {
        super("file '" + name + "' is larger than the limit of " + maxBytes + " bytes; nothing was stored");
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
