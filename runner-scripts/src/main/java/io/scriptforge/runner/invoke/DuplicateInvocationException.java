package io.scriptforge.runner.invoke;

/** A client chose an X-Invocation-Id that a running invocation already has. */
public class DuplicateInvocationException extends Exception {
    public DuplicateInvocationException(String id) {
        super("an invocation with id '" + id + "' is still running: choose another X-Invocation-Id");
    }
}
