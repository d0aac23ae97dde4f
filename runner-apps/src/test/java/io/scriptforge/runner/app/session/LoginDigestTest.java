package io.scriptforge.runner.app.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The seed's login arithmetic, checked against known vectors. */
class LoginDigestTest {
    @Test
    void theIssuesVector() {
        assertThat(LoginDigest.digest("pbxadminapi", "", "", "", "", null, "0123456789abcdef", "pwd"))
                .isEqualTo("a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1");
    }

    @Test
    void infoJoinsWithItsColonOnlyWhenPresent() {
        String without = LoginDigest.digest("notes", "example.com", "alice", "g", "Alice", null, "c", "pwd");
        String withInfo = LoginDigest.digest("notes", "example.com", "alice", "g", "Alice", "{\"a\":1}", "c", "pwd");
        assertThat(without).isEqualTo(LoginDigest.sha256Hex("notes:example.com:alice:g:Alice:c:pwd"));
        assertThat(withInfo).isEqualTo(LoginDigest.sha256Hex("notes:example.com:alice:g:Alice:{\"a\":1}:c:pwd"));
    }

    @Test
    void sessionAndDbfilesKeysFollowTheSeed() {
        String session = LoginDigest.sessionKey("0123456789abcdef", "pwd");
        assertThat(session).isEqualTo(LoginDigest.sha256Hex("innovaphoneAppSessionKey:0123456789abcdef:pwd"));
        assertThat(LoginDigest.dbfilesKey(session)).isEqualTo(LoginDigest.sha256Hex("generic-dbfiles:" + session));
    }

    @Test
    void digestsCompareCaseInsensitivelyAndRefuseNull() {
        String digest = LoginDigest.sha256Hex("x");
        assertThat(LoginDigest.matches(digest, digest.toUpperCase())).isTrue();
        assertThat(LoginDigest.matches(digest, null)).isFalse();
        assertThat(LoginDigest.matches(digest, "0" + digest.substring(1))).isEqualTo(digest.startsWith("0"));
    }
}
