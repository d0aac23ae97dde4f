package io.scriptforge.runner.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Local mode's authority: one token, whoever holds it is the developer and may do everything; no other
 * credential counts. Compared in constant time, so the answer's timing says nothing about the token.
 */
public final class LocalTokenAuthority implements ControlAuthority {
    private static final Caller DEVELOPER = Caller.named("local-token");
    private final byte[] token;

    public LocalTokenAuthority(String token) {
        if (token == null || token.length() < 16) {
            throw new IllegalArgumentException("the control token must have at least 16 characters");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<Caller> authenticate(String bearerToken) {
        return MessageDigest.isEqual(token, bearerToken.getBytes(StandardCharsets.UTF_8))
                ? Optional.of(DEVELOPER)
                : Optional.empty();
    }

    @Override
    public boolean allows(Caller caller, String namespace, ControlPermission permission) {
        return caller == DEVELOPER;
    }
}
