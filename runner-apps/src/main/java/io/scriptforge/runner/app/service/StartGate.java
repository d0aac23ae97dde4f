package io.scriptforge.runner.app.service;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds back what the app's top-level code sets in motion (queries, transactions, timers, config
 * saves) until every file has been evaluated: a start that fails has then had no effect at all.
 * Used only on the app's loop thread.
 */
final class StartGate {
    private List<Runnable> held = new ArrayList<>();
    private boolean dropped;

    /** Runs {@code effect} now once the app started, later if it is starting, never if the start failed. */
    void launch(Runnable effect) {
        if (dropped) {
            return;
        }
        if (held != null) {
            held.add(effect);
        } else {
            effect.run();
        }
    }

    /** The app started: everything held runs, in the order it was asked for. */
    void open() {
        List<Runnable> effects = held;
        held = null;
        if (effects != null) {
            effects.forEach(Runnable::run);
        }
    }

    /** The start failed: nothing held ever runs. */
    void drop() {
        dropped = true;
        held = null;
    }
}
