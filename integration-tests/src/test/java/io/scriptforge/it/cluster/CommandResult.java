package io.scriptforge.it.cluster;

/** What a finished command left behind: its exit code and everything it printed. */
public record CommandResult(int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns this result, or fails with the whole output when the command did not succeed. */
    public CommandResult orFail() {
        if (!succeeded()) {
            throw new AssertionError("command failed: " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
    }
}
