package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The scripts' {@code kv} global over HTTP, on the runner's embedded PostgreSQL. */
@QuarkusTest
class KvScriptComponentTest extends RunnerTestBase {
    @Test
    void aCounterScriptCountsEveryRequest() throws Exception {
        String uuid = runner.deploy("kv-counter", "script", """
                function main(data) {
                  if (data.reset) kv.delete('visits');
                  return { visits: kv.incr('visits') };
                }""");
        assertThat(RunnerClient.json(runner.postJson(uuid, "{\"reset\": true}"))
                        .path("visits")
                        .asLong())
                .isEqualTo(1);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(runner.postAsync(uuid, "{}"));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertThat(call.get().statusCode()).as(call.get().body()).isEqualTo(200);
        }
        assertThat(RunnerClient.json(runner.postJson(uuid, "{}")).path("visits").asLong())
                .isEqualTo(42);
    }

    @Test
    void valuesAreJsonAndExpire() {
        String uuid = runner.deploy("kv-values", "script", """
                function main(data) {
                  if (data.op === 'set') {
                    kv.set('doc', { list: [1, 'two', null], nested: { ok: true } });
                    kv.set('brief', 'soon gone', { ttl: 0.2 });
                    kv.set('item:b', 2); kv.set('item:a', 1);
                    return { doc: kv.get('doc'), brief: kv.get('brief'), missing: kv.get('missing') === undefined };
                  }
                  return { brief: kv.get('brief') === undefined, keys: kv.keys('item:'), deleted: [kv.delete('item:a'), kv.delete('item:a')] };
                }""");
        JsonNode set = RunnerClient.json(runner.postJson(uuid, "{\"op\": \"set\"}"));
        assertThat(set.path("doc").toString()).isEqualTo("{\"list\":[1,\"two\",null],\"nested\":{\"ok\":true}}");
        assertThat(set.path("brief").asText()).isEqualTo("soon gone");
        assertThat(set.path("missing").asBoolean()).isTrue();
        RunnerClient.sleep(400);
        JsonNode later = RunnerClient.json(runner.postJson(uuid, "{}"));
        assertThat(later.path("brief").asBoolean()).isTrue();
        assertThat(later.path("keys").toString()).isEqualTo("[\"item:a\",\"item:b\"]");
        assertThat(later.path("deleted").toString()).isEqualTo("[true,false]");
    }

    @Test
    void errorsAreTheScriptsToCatch() {
        String uuid = runner.deploy("kv-errors", "script", """
                function main() {
                  const caught = (f) => { try { f(); return 'no error'; } catch (e) { return e.message; } };
                  kv.set('word', 'abc');
                  return {
                    notInteger: caught(() => kv.incr('word')),
                    emptyKey: caught(() => kv.get('')),
                    noJson: caught(() => kv.set('f', () => 1)),
                    badTtl: caught(() => kv.set('t', 1, { ttl: -1 })),
                    badAmount: caught(() => kv.incr('n', 1.5)),
                    frozen: caught(() => { 'use strict'; kv.get = () => 'hijacked'; }),
                  };
                }""");
        JsonNode answer = RunnerClient.json(runner.postJson(uuid, "{}"));
        assertThat(answer.path("notInteger").asText()).contains("'word'").contains("not an integer");
        assertThat(answer.path("emptyKey").asText()).contains("non-empty");
        assertThat(answer.path("noJson").asText()).contains("no JSON form");
        assertThat(answer.path("badTtl").asText()).contains("ttl");
        assertThat(answer.path("badAmount").asText()).contains("safe integer");
        assertThat(answer.path("frozen").asText()).isNotEqualTo("no error");
    }

    @Test
    void anAppScriptUsesTheSameStoreOfItsNamespace() {
        String writer =
                runner.deploy("kv-writer", "script", "function main(data) { kv.set('shared', data.v); return 'ok'; }");
        String reader = runner.deploy("kv-reader", "app", """
                async function main() {
                  await new Promise((resolve) => setTimeout(resolve, 1));
                  return { shared: kv.get('shared') };
                }""");
        assertThat(runner.postJson(writer, "{\"v\": \"from the writer\"}").body())
                .isEqualTo("ok");
        assertThat(RunnerClient.json(runner.postJson(reader, "{}"))
                        .path("shared")
                        .asText())
                .isEqualTo("from the writer");
    }
}
