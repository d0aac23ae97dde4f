package io.scriptforge.runner.kv;

/** A kv call the store refuses (bad key or value, a non-integer to incr, no database): the script's error to see. */
public final class KvException extends RuntimeException {
    public KvException(String message) {
        super(message);
    }
}
