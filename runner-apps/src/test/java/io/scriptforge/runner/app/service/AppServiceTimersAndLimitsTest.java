package io.scriptforge.runner.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Timers, the cap on pending timers, and runaway code stopped while the service keeps answering. */
class AppServiceTimersAndLimitsTest {
    @Test
    void timeoutsFireInOrderWithTheirArgumentsAndClearedOnesNever() throws Exception {
        try (ServiceFixture app =
                ServiceFixture.app("timers-order").file("main.js", """
                WebServer.onrequest('order', () => new Promise((resolve) => {
                  const seen = [];
                  setTimeout((what) => seen.push(what), 20, 'second');
                  setTimeout((what) => seen.push(what), 1, 'first');
                  const cleared = setTimeout(() => seen.push('cleared'), 5);
                  clearTimeout(cleared);
                  setTimeout(() => resolve({ body: seen }), 40);
                }));""").start()) {
            assertThat(app.getJson("order").toString()).isEqualTo("[\"first\",\"second\"]");
            assertThat(app.service.pendingTimers()).isZero();
        }
    }

    @Test
    void anIntervalRepeatsUntilCleared() throws Exception {
        try (ServiceFixture app =
                ServiceFixture.app("timers-interval").file("main.js", """
                WebServer.onrequest('count', () => new Promise((resolve) => {
                  let ticks = 0;
                  const id = setInterval(() => {
                    ticks++;
                    if (ticks === 3) {
                      clearInterval(id);
                      setTimeout(() => resolve({ body: { ticks } }), 30);
                    }
                  }, 2);
                }));""").start()) {
            assertThat(app.getJson("count").path("ticks").asInt()).isEqualTo(3);
            assertThat(app.service.pendingTimers()).isZero();
        }
    }

    @Test
    void anAppHasAtMostTenThousandPendingTimers() throws Exception {
        try (ServiceFixture app =
                ServiceFixture.app("timers-cap").file("main.js", """
                const ids = [];
                WebServer.onrequest('fill', () => {
                  try {
                    for (;;) ids.push(setTimeout(() => {}, 3600000));
                  } catch (e) {
                    return { body: { pending: ids.length, error: e.name + ': ' + e.message } };
                  }
                });
                WebServer.onrequest('clear', () => { ids.forEach(clearTimeout); ids.length = 0; return 'cleared'; });""").start()) {
            var filled = app.getJson("fill");
            assertThat(filled.path("pending").asInt()).isEqualTo(10_000);
            assertThat(filled.path("error").asText())
                    .isEqualTo("RangeError: setTimeout: too many pending timers (at most 10000)");
            assertThat(app.service.pendingTimers()).isEqualTo(10_000);

            assertThat(app.get("clear").text()).isEqualTo("cleared");
            assertThat(app.service.pendingTimers()).isZero();
        }
    }

    @Test
    void aRunawayHandlerIsStoppedAnswers500AndTheServiceStillAnswers() throws Exception {
        try (ServiceFixture app = ServiceFixture.app("limits-handler")
                .callTimeout(Duration.ofMillis(300))
                .file("main.js", """
                WebServer.onrequest('spin', () => {
                  while (true) {}
                });
                WebServer.onrequest('ping', () => 'pong');""")
                .start()) {
            ServiceFixture.Response spun = app.get("spin");

            assertThat(spun.status()).isEqualTo(500);
            assertThat(spun.text()).isEqualTo("service error: stopped: it ran longer than 300 ms");
            assertThat(app.backend.awaitLog("was stopped"))
                    .isEqualTo(
                            "error the WebServer handler for 'spin' (GET spin) ran longer than 300 ms and was stopped");
            assertThat(app.get("ping").text()).isEqualTo("pong");
            assertThat(app.service.state()).isEqualTo("running");
        }
    }

    @Test
    void aRunawayTimerIsStoppedAndLaterWorkStillRuns() throws Exception {
        try (ServiceFixture app = ServiceFixture.app("limits-timer")
                .callTimeout(Duration.ofMillis(300))
                .file("main.js", """
                let spins = 0;
                WebServer.onrequest('start', () => {
                  setTimeout(() => { spins++; for (;;) {} }, 1);
                  return 'started';
                });
                WebServer.onrequest('spins', () => String(spins));""")
                .start()) {
            assertThat(app.get("start").text()).isEqualTo("started");
            assertThat(app.backend.awaitLog("was stopped"))
                    .isEqualTo("error a timer callback ran longer than 300 ms and was stopped");

            assertThat(app.get("spins").text()).isEqualTo("1");
            assertThat(app.service.running()).isTrue();
        }
    }

    @Test
    void closingStopsTimersAndAnswersWaitingRequests() throws Exception {
        ServiceFixture app =
                ServiceFixture.app("limits-close").file("main.js", """
                setInterval(() => {}, 60000);
                WebServer.onrequest('forever', () => new Promise(() => {}));""").start();
        CompletableFuture<ServiceResponse> waiting = app.service
                .request(new ServiceRequest("GET", "forever", Map.of(), Map.of(), null))
                .orElseThrow();
        assertThat(app.service.pendingTimers()).isEqualTo(1);

        app.service.close();

        ServiceResponse answer = waiting.get(ServiceFixture.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(503);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("the app's service was closed");
        assertThat(app.service.pendingTimers()).isZero();
        assertThat(app.service.state()).isEqualTo("closed");
        assertThat(app.service.request(new ServiceRequest("GET", "forever", Map.of(), Map.of(), null)))
                .isEmpty();
    }
}
