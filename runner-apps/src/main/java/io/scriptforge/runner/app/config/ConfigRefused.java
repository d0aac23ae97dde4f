package io.scriptforge.runner.app.config;

/** A session may not read or write the app's config; the message says which modes it would need. */
public final class ConfigRefused extends Exception {
    public ConfigRefused(String message) {
        super(message);
    }
}
