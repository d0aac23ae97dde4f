package io.scriptforge.runner.control;

import java.util.Optional;

/**
 * Decides who may use the control API (listings, logs, cancels, jobs, schedules, Apps). Both calls may block (a
 * Kubernetes review is a request to the API server): call them off the event loop.
 */
public interface ControlAuthority {
    /** The caller a bearer token stands for, or empty when it stands for no one. */
    Optional<Caller> authenticate(String bearerToken) throws UnavailableException;

    /** Whether {@code caller} may do {@code permission} in {@code namespace}. */
    boolean allows(Caller caller, String namespace, ControlPermission permission) throws UnavailableException;

    /** Whether calls without any credential are let in (the authority was turned off). */
    default boolean open() {
        return false;
    }

    /** The authority could not answer (the API server is unreachable): the caller gets 503, never a guess. */
    final class UnavailableException extends Exception {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
