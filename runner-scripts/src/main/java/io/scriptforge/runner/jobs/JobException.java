package io.scriptforge.runner.jobs;

/** A job request refused for what it asked (bad options, unknown script, another namespace): the caller's to fix. */
public final class JobException extends RuntimeException {
    private final boolean notFound;

    public JobException(String message) {
        this(message, false);
    }

    private JobException(String message, boolean notFound) {
        super(message);
        this.notFound = notFound;
    }

    public static JobException notFound(String message) {
        return new JobException(message, true);
    }

    /** True when what it names does not exist (404), rather than being malformed (400). */
    public boolean notFound() {
        return notFound;
    }
}
