package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptIdentity;
import io.scriptforge.crd.ScriptSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode: the runner serves the Scripts of its pool that the Kubernetes API holds, and
 * follows them as they are applied, changed, moved and deleted. Its own Quarkus app (a profile),
 * against {@link MockKubernetesApi}.
 */
@QuarkusTest
@TestProfile(ClusterModeComponentTest.ClusterMode.class)
class ClusterModeComponentTest extends RunnerTestBase {
    private static final long APPLY_TO_SERVED_MILLIS = 1000;
    private static KubernetesClient api;

    public static class ClusterMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the local token, as in the other tests: ControlApiAuthIT tries Kubernetes reviews against a real API
            // server
            return Map.of("%test.scriptforge.dir", "", "scriptforge.dir", "", "scriptforge.control.auth", "token");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MockKubernetesApi.class));
        }
    }

    @BeforeAll
    static void connectToTheApi() {
        api = MockKubernetesApi.admin();
    }

    @AfterAll
    static void disconnectFromTheApi() {
        api.close();
    }

    /** Startup does not wait for the API server: readiness does. */
    @BeforeEach
    void awaitReady() {
        long booted = System.nanoTime();
        while (runner.get("/q/health/ready").statusCode() != 200) {
            assertThat(runner.get("/q/health/live").statusCode()).isEqualTo(200);
            assertThat((System.nanoTime() - booted) / 1_000_000)
                    .as("ready after the first list")
                    .isLessThan(20_000);
            RunnerClient.sleep(200);
        }
    }

    @Test
    void aScriptListedBeforeStartIsServedOnceReady() {
        assertThat(runner.postJson(uuid("listed-before-start"), "{}").body()).isEqualTo("was there first");
        assertThat(runner.listedByName(MockKubernetesApi.NAMESPACE, "listed-before-start")
                        .path("source")
                        .asText())
                .isEqualTo("kubernetes:" + MockKubernetesApi.NAMESPACE + "/listed-before-start");
    }

    @Test
    void applyingChangingAndDeletingAScriptTakesEffectWithinASecond() {
        String uuid = uuid("applied");
        long created = System.nanoTime();
        api.resource(script("applied", null, "function main() { return 'v1'; }"))
                .create();
        awaitServed(created, uuid, "function main() { return 'v1'; }", "v1");

        long changed = System.nanoTime();
        api.resources(Script.class).withName("applied").edit(s -> {
            s.getSpec().setCode("function main() { return 'v2'; }");
            return s;
        });
        awaitServed(changed, uuid, "function main() { return 'v2'; }", "v2");

        long deleted = System.nanoTime();
        api.resources(Script.class).withName("applied").delete();
        awaitWithin(deleted, () -> runner.postJson(uuid, "{}").statusCode() == 404);
    }

    @Test
    void aScriptOfAnotherPoolIsIgnoredAndOneMovedToAnotherPoolIsNoLongerServed() {
        api.resource(script("elsewhere", "other", "function main() { return 'not here'; }"))
                .create();
        api.resource(script("moving", "default", "function main() { return 'here'; }"))
                .create();
        long created = System.nanoTime();
        awaitServed(created, uuid("moving"), "function main() { return 'here'; }", "here");
        // Events arrive in order: "moving" served means "elsewhere" was seen, and left alone.
        assertThat(runner.listedByName(MockKubernetesApi.NAMESPACE, "elsewhere"))
                .isNull();
        assertThat(runner.postJson(uuid("elsewhere"), "{}").statusCode()).isEqualTo(404);

        long moved = System.nanoTime();
        api.resources(Script.class).withName("moving").edit(s -> {
            s.getSpec().setPool("other");
            return s;
        });
        awaitWithin(moved, () -> runner.postJson(uuid("moving"), "{}").statusCode() == 404);
    }

    @Test
    void aScriptThatDoesNotCompileIsReportedAsInLocalModeAndServedOnceFixed() {
        String uuid = uuid("broken-then-fixed");
        long created = System.nanoTime();
        api.resource(script("broken-then-fixed", null, "function main() {\n  return 1 +* 2;\n}"))
                .create();
        awaitWithin(created, () -> {
            JsonNode listed = runner.listed(uuid);
            return listed != null
                    && listed.path("loadError")
                            .asText()
                            .contains("syntax error at " + MockKubernetesApi.NAMESPACE + "/broken-then-fixed.js:2:");
        });
        assertThat(runner.postJson(uuid, "{}").statusCode()).isEqualTo(503);

        long fixed = System.nanoTime();
        api.resources(Script.class).withName("broken-then-fixed").edit(s -> {
            s.getSpec().setCode("function main() { return 'fixed'; }");
            return s;
        });
        awaitServed(fixed, uuid, "function main() { return 'fixed'; }", "fixed");
        assertThat(runner.listed(uuid).path("loadError").isNull()).isTrue();
    }

    @Test
    void anAppIsReadWithItsSecretAndSaysWhyItCannotRunWithoutADatabase() {
        api.resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                        .withNewMetadata()
                        .withName("board-secret")
                        .withNamespace(MockKubernetesApi.NAMESPACE)
                        .endMetadata()
                        .addToStringData("password", "pwd")
                        .build())
                .create();
        io.scriptforge.crd.App app = new io.scriptforge.crd.App();
        app.setMetadata(new ObjectMetaBuilder()
                .withName("board")
                .withNamespace(MockKubernetesApi.NAMESPACE)
                .build());
        io.scriptforge.crd.AppSpec spec = new io.scriptforge.crd.AppSpec();
        spec.setDomain("example.com");
        spec.setPasswordSecretRef(new io.scriptforge.crd.KeyReference("board-secret", "password"));
        app.setSpec(spec);
        api.resource(app).create();

        com.fasterxml.jackson.databind.JsonNode board = null;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (board == null && System.nanoTime() < deadline) {
            for (com.fasterxml.jackson.databind.JsonNode listed : RunnerClient.json(runner.get("/v1/apps"))) {
                if ("board".equals(listed.path("name").asText())) {
                    board = listed;
                }
            }
            Thread.onSpinWait();
        }
        assertThat(board).as("App board listed in /v1/apps within 10 s").isNotNull();
        // The Secret was read (no complaint about it); a runner in a cluster never starts an embedded database.
        assertThat(board.path("ready").asBoolean()).isFalse();
        assertThat(board.path("problem").asText()).contains("no database").contains("SCRIPTFORGE_DATABASE_URL");

        // ...and says so in the App's status, where the operator reads it for Ready.
        io.scriptforge.crd.AppRuntimeStatus reported = null;
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (reported == null && System.nanoTime() < until) {
            io.scriptforge.crd.App current = api.resources(io.scriptforge.crd.App.class)
                    .inNamespace(MockKubernetesApi.NAMESPACE)
                    .withName("board")
                    .get();
            reported = current.getStatus() == null ? null : current.getStatus().getRuntime();
            Thread.onSpinWait();
        }
        assertThat(reported).as("status.runtime written within 10 s").isNotNull();
        assertThat(reported.getServed()).isFalse();
        assertThat(reported.getMessage()).contains("no database");
    }

    static Script script(String name, String pool, String code) {
        Script script = new Script();
        script.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(MockKubernetesApi.NAMESPACE)
                .build());
        ScriptSpec spec = new ScriptSpec();
        spec.setCode(code);
        spec.setPool(pool);
        script.setSpec(spec);
        return script;
    }

    private static String uuid(String name) {
        return ScriptIdentity.nameBasedUuid(MockKubernetesApi.NAMESPACE, name).toString();
    }

    /**
     * The change reaches the registry within a second of the API write; the invocation then answers
     * with the new code (its first sandbox context may take longer to open on a busy machine).
     */
    private void awaitServed(long startNanos, String uuid, String code, String answer) {
        String codeHash = sha256(code);
        awaitWithin(startNanos, () -> {
            JsonNode listed = runner.listed(uuid);
            return listed != null && codeHash.equals(listed.path("codeHash").asText());
        });
        assertThat(runner.postJson(uuid, "{}").body()).isEqualTo(answer);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitWithin(long startNanos, Supplier<Boolean> condition) {
        while (true) {
            if (condition.get()) {
                long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
                assertThat(elapsed).as("took effect after %d ms", elapsed).isLessThanOrEqualTo(APPLY_TO_SERVED_MILLIS);
                return;
            }
            if ((System.nanoTime() - startNanos) / 1_000_000 > 5 * APPLY_TO_SERVED_MILLIS) {
                throw new AssertionError("the change never took effect");
            }
            RunnerClient.sleep(20);
        }
    }
}
