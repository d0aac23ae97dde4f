package io.scriptforge.runner.control;

/**
 * Who a control call's credential stands for. An authority that asks on the caller's behalf keeps the credential
 * here; it is never printed (see {@link #toString()}) and only this package reads it.
 */
public final class Caller {
    private final String name;
    private final String credential;

    Caller(String name, String credential) {
        this.name = name;
        this.credential = credential;
    }

    static Caller named(String name) {
        return new Caller(name, "");
    }

    /** The caller's name, as the authority knows it: for messages and logs. */
    public String name() {
        return name;
    }

    String credential() {
        return credential;
    }

    @Override
    public String toString() {
        return name;
    }
}
