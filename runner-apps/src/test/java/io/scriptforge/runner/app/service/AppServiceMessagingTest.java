package io.scriptforge.runner.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.runner.app.session.SessionIdentity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** JsonApi connections (AppWebsocket messages) and WebServer.onrequest (HTTP). */
class AppServiceMessagingTest {
    private static final SessionIdentity ALICE =
            new SessionIdentity("echo~admin", "example.com", "alice", "Alice A.", "guid-1", Set.of("admin", "owner"));

    @Test
    void aJsonApiConnectionSeesTheSessionAndTalksBack() throws Exception {
        try (ServiceFixture app =
                ServiceFixture.app("msg-echo").file("main.js", """
                new JsonApi('com.example.echo').onconnected((conn) => {
                  conn.onmessage((msg) => {
                    conn.send({ mt: msg.mt + 'Result', src: msg.src, who: [conn.sip, conn.dn, conn.domain, conn.guid, conn.app], modes: conn.modes });
                    if (msg.mt === 'Bye') conn.close();
                  });
                  conn.onclose(() => log('closed ' + conn.sip));
                });
                new JsonApi().onconnected((conn) => {
                  conn.onmessage(async (msg) => { conn.send({ mt: 'Unnamed', got: msg.mt }); });
                });""").start()) {
            FakeConnection alice = new FakeConnection("s1", ALICE);
            app.service.connected(alice);
            ObjectNode ping =
                    ServiceFixture.message("{\"api\": \"com.example.echo\", \"mt\": \"Ping\", \"src\": \"r1\"}");

            assertThat(app.service.handles(ping)).isTrue();
            assertThat(app.service.handles(
                            ServiceFixture.message("{\"api\": \"com.example.other\", \"mt\": \"Ping\"}")))
                    .isFalse();
            assertThat(app.service.handles(ServiceFixture.message("{\"mt\": \"Ping\"}")))
                    .isTrue();

            app.service.message(alice, ping);
            assertThat(alice.next().toString())
                    .isEqualTo(
                            "{\"api\":\"com.example.echo\",\"mt\":\"PingResult\",\"src\":\"r1\","
                                    + "\"who\":[\"alice\",\"Alice A.\",\"example.com\",\"guid-1\",\"echo~admin\"],\"modes\":[\"owner\",\"admin\"]}");

            app.service.message(alice, ServiceFixture.message("{\"mt\": \"Hello\"}"));
            assertThat(alice.next().toString()).isEqualTo("{\"mt\":\"Unnamed\",\"got\":\"Hello\"}");

            app.service.message(alice, ServiceFixture.message("{\"api\": \"com.example.echo\", \"mt\": \"Bye\"}"));
            assertThat(alice.next().path("mt").asText()).isEqualTo("ByeResult");
            app.service.closed(alice);
            assertThat(app.backend.awaitLog("closed alice")).isEqualTo("info closed alice");
            assertThat(alice.closed).isTrue();
        }
    }

    @Test
    void anErrorInAHandlerIsLoggedWithItsPlaceAndTheConnectionGoesOn() throws Exception {
        try (ServiceFixture app =
                ServiceFixture.app("msg-error").file("main.js", """
                new JsonApi('com.example.fragile').onconnected((conn) => {
                  conn.onmessage((msg) => {
                    if (msg.mt === 'Break') {
                      return msg.missing.field;
                    }
                    conn.send({ mt: 'Fine' });
                  });
                });""").start()) {
            FakeConnection bob = new FakeConnection(
                    "s2", new SessionIdentity("fragile", "example.com", "bob", "Bob", "g2", Set.of()));
            app.service.connected(bob);

            app.service.message(bob, ServiceFixture.message("{\"api\": \"com.example.fragile\", \"mt\": \"Break\"}"));
            app.service.message(bob, ServiceFixture.message("{\"api\": \"com.example.fragile\", \"mt\": \"Again\"}"));

            assertThat(bob.next().path("mt").asText()).isEqualTo("Fine");
            assertThat(app.backend.awaitLog("onmessage handler failed"))
                    .isEqualTo("error JsonApi 'com.example.fragile' onmessage handler failed: "
                            + "TypeError: Cannot read property 'field' of undefined (at main.js:4:14)");
        }
    }

    @Test
    void theLongestMatchingPrefixAnswersAndNoMatchIsLeftToThePlatform() throws Exception {
        try (ServiceFixture app =
                ServiceFixture.app("http-prefix").file("main.js", """
                WebServer.onrequest('api/', (req) => 'api: ' + req.path);
                WebServer.onrequest('/api/v2/', (req) => ({ status: 201, headers: { 'X-Version': '2' }, body: { path: req.path } }));""").start()) {
            ServiceFixture.Response v1 = app.get("api/items");
            assertThat(v1.status()).isEqualTo(200);
            assertThat(v1.text()).isEqualTo("api: api/items");
            assertThat(v1.header("content-type")).isEqualTo("text/plain; charset=utf-8");

            ServiceFixture.Response v2 = app.get("api/v2/items");
            assertThat(v2.status()).isEqualTo(201);
            assertThat(v2.header("x-version")).isEqualTo("2");
            assertThat(v2.header("content-type")).isEqualTo("application/json");
            assertThat(v2.json().path("path").asText()).isEqualTo("api/v2/items");

            assertThat(app.service.request(new ServiceRequest("GET", "index.htm", Map.of(), Map.of(), null)))
                    .isEmpty();
        }
    }

    @Test
    void anAsyncHandlerSeesTheWholeRequest() throws Exception {
        try (ServiceFixture app =
                ServiceFixture.app("http-async").file("main.js", """
                const later = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
                WebServer.onrequest('echo', async (req) => {
                  await later(5);
                  const sent = req.json();
                  return { body: { method: req.method, path: req.path, query: req.query, type: req.headers['content-type'], sent } };
                });""").start()) {
            JsonNode echo = app.request(
                            "POST",
                            "echo/x",
                            Map.of("a", List.of("1", "2"), "b", List.of("x")),
                            Map.of("Content-Type", "application/json"),
                            "{\"n\": 5}")
                    .json();

            assertThat(echo.path("method").asText()).isEqualTo("POST");
            assertThat(echo.path("path").asText()).isEqualTo("echo/x");
            assertThat(echo.path("query").path("a").asText())
                    .as("the first of several values")
                    .isEqualTo("1");
            assertThat(echo.path("query").path("b").asText()).isEqualTo("x");
            assertThat(echo.path("type").asText()).isEqualTo("application/json");
            assertThat(echo.path("sent").path("n").asInt()).isEqualTo(5);
        }
    }

    @Test
    void aHandlerThatFailsAnswers500WithAShortMessageAndTheLogTellsWhere() throws Exception {
        try (ServiceFixture app =
                ServiceFixture.app("http-fail").file("main.js", """
                WebServer.onrequest('throws', () => {
                  throw new Error('no such thing');
                });
                WebServer.onrequest('rejects', async () => { await null; throw new RangeError('too far'); });
                WebServer.onrequest('nothing', () => undefined);""").start()) {
            ServiceFixture.Response thrown = app.get("throws");
            assertThat(thrown.status()).isEqualTo(500);
            assertThat(thrown.text()).isEqualTo("service error: Error: no such thing");
            assertThat(app.backend.awaitLog("'throws' failed")).endsWith("(at main.js:2:9)");

            ServiceFixture.Response rejected = app.get("rejects");
            assertThat(rejected.status()).isEqualTo(500);
            assertThat(rejected.text()).isEqualTo("service error: RangeError: too far");

            ServiceFixture.Response nothing = app.get("nothing");
            assertThat(nothing.status()).isEqualTo(500);
            assertThat(nothing.text())
                    .isEqualTo(
                            "service error: TypeError: the handler returned nothing: return (or resolve to) {status, headers, body}");
        }
    }
}
