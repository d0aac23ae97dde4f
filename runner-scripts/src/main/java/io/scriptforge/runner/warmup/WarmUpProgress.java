package io.scriptforge.runner.warmup;

/**
 * How far the warm-up got, as the runner's readiness reports it: the warm-up moves it on; the readiness check of
 * the runner application reads it (a new replica joins its Service only once it serves at warm speed).
 */
public final class WarmUpProgress {
    /** Where the warm-up is: waiting for the first load and the HTTP port, running, done, or off. */
    public enum State {
        WAITING,
        RUNNING,
        DONE,
        OFF
    }

    private volatile State state = State.WAITING;
    private volatile WarmUpReport report;

    void off() {
        state = State.OFF;
    }

    void running(WarmUpReport progress) {
        report = progress;
        state = State.RUNNING;
    }

    void done(WarmUpReport all) {
        report = all;
        state = State.DONE;
    }

    public State state() {
        return state;
    }

    /** True once traffic may come: the warm-up ended, or is off. */
    public boolean ready() {
        State now = state;
        return now == State.DONE || now == State.OFF;
    }

    /** The last report, while running or when done; null before the warm-up started and when it is off. */
    public WarmUpReport report() {
        return report;
    }
}
