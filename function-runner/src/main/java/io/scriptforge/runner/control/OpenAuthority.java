package io.scriptforge.runner.control;

import java.util.Optional;

/** {@code scriptforge.control.auth=none}: everyone may do everything, as before there was a control authority. */
public final class OpenAuthority implements ControlAuthority {
    public static final Caller ANYONE = Caller.named("anonymous");

    @Override
    public Optional<Caller> authenticate(String bearerToken) {
        return Optional.of(ANYONE);
    }

    @Override
    public boolean allows(Caller caller, String namespace, ControlPermission permission) {
        return true;
    }

    @Override
    public boolean open() {
        return true;
    }
}
