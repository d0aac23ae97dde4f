package io.scriptforge.runner.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Crypto against published test vectors (FIPS 180 "abc", RFC 1321, RFC 4231 test case 2). */
class AppServiceCryptoTest {
    @Test
    void hashesAndHmacsMatchKnownVectors() throws Exception {
        try (ServiceFixture app =
                ServiceFixture.app("crypto-vectors").file("main.js", """
                WebServer.onrequest('vectors', () => ({ body: {
                  sha1: Crypto.hash('SHA1', 'abc'),
                  sha256: Crypto.hash('SHA256', 'abc'),
                  sha256base64: Crypto.hash('sha-256', 'abc', 'base64'),
                  sha512: Crypto.hash('SHA512', 'abc'),
                  md5: Crypto.hash('MD5', 'abc'),
                  hmac: Crypto.hmac('SHA256', 'Jefe', 'what do ya want for nothing?'),
                  hmacEmptyKey: Crypto.hmac('SHA256', '', ''),
                } }));""").start()) {
            JsonNode v = app.getJson("vectors");
            assertThat(v.path("sha1").asText()).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
            assertThat(v.path("sha256").asText())
                    .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
            assertThat(v.path("sha256base64").asText()).isEqualTo("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
            assertThat(v.path("sha512").asText())
                    .isEqualTo("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
            assertThat(v.path("md5").asText()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
            assertThat(v.path("hmac").asText())
                    .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
            assertThat(v.path("hmacEmptyKey").asText())
                    .isEqualTo("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
        }
    }

    @Test
    void randomValuesHaveTheirFormAndMistakesAreExplained() throws Exception {
        try (ServiceFixture app =
                ServiceFixture.app("crypto-random").file("main.js", """
                const attempt = (fn) => { try { return fn(); } catch (e) { return e.name + ': ' + e.message; } };
                WebServer.onrequest('random', () => ({ body: {
                  uuid: Crypto.randomUUID(),
                  bytes: Crypto.randomBytes(16),
                  differ: Crypto.randomBytes(16) !== Crypto.randomBytes(16),
                  unknown: attempt(() => Crypto.hash('SHA3', 'abc')),
                  encoding: attempt(() => Crypto.hash('SHA1', 'abc', 'utf8')),
                  notText: attempt(() => Crypto.hmac('SHA1', 42, 'abc')),
                  tooMany: attempt(() => Crypto.randomBytes(1e6)),
                } }));""").start()) {
            JsonNode v = app.getJson("random");
            assertThat(v.path("uuid").asText())
                    .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(v.path("bytes").asText()).matches("[0-9a-f]{32}");
            assertThat(v.path("differ").asBoolean()).isTrue();
            assertThat(v.path("unknown").asText())
                    .isEqualTo("TypeError: Crypto.hash: unknown algorithm SHA3 (use SHA1, SHA256, SHA512 or MD5)");
            assertThat(v.path("encoding").asText())
                    .isEqualTo("TypeError: Crypto.hash: unknown encoding utf8 (use \"hex\" or \"base64\")");
            assertThat(v.path("notText").asText()).isEqualTo("TypeError: Crypto.hmac: key must be a string, got 42");
            assertThat(v.path("tooMany").asText())
                    .isEqualTo("RangeError: Crypto.randomBytes: the count must be a whole number from 1 to 65536");
        }
    }
}
