package io.scriptforge.runner.app.session;

import java.util.Set;

/**
 * Who a logged-in AppWebsocket session is, as its AppLogin proved: the values behind the
 * server-filled statement args ({@code @domain @sip @dn @guid}) and the modes it holds.
 *
 * @param app   the app name it logged in with, {@code ~suffixes} included (e.g. {@code notes~admin})
 * @param modes {@code owner} when it logged in from the app's domain, plus one per {@code ~suffix}
 */
public record SessionIdentity(String app, String domain, String sip, String dn, String guid, Set<String> modes) {
    public SessionIdentity {
        modes = Set.copyOf(modes);
    }

    /** The modes joined with '.', owner first (e.g. owner.admin), as the seed writes them. */
    public String modeText() {
        return modes.stream()
                .sorted((a, b) -> a.equals("owner") ? -1 : b.equals("owner") ? 1 : a.compareTo(b))
                .reduce((a, b) -> a + "." + b)
                .orElse("");
    }
}
