package io.scriptforge.runner.app.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.manifest.AppManifest;
import io.scriptforge.runner.app.schema.SchemaMigrator;
import io.scriptforge.runner.app.schema.TestManifests;
import io.scriptforge.runner.db.AppSchema;
import io.scriptforge.runner.db.RunnerDatabase;
import io.scriptforge.runner.db.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two AppEvents on one database stand for two runner replicas. */
class AppEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RunnerDatabase db = TestDatabase.shared();
    private AppEvents replicaA;
    private AppEvents replicaB;

    @BeforeEach
    void startReplicas() throws SQLException {
        replicaA = new AppEvents(db);
        replicaB = new AppEvents(db);
        replicaA.start();
        replicaB.start();
    }

    @AfterEach
    void stopReplicas() {
        replicaA.close();
        replicaB.close();
    }

    private static ObjectNode payload(String text) {
        return JSON.createObjectNode().put("text", text);
    }

    private void publishCommitted(String app, String topic, ObjectNode payload) throws SQLException {
        db.inTransaction(tx -> {
            replicaA.publish(tx, app, topic, payload);
            return null;
        });
    }

    /** Waits for the next event; the wait is generous, only a broken delivery would reach it. */
    private static ObjectNode next(BlockingQueue<ObjectNode> received) throws InterruptedException {
        ObjectNode event = received.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        return event;
    }

    @Test
    void aCommittedEventReachesTheSubscribersOfEveryReplica() throws Exception {
        BlockingQueue<ObjectNode> onA = new LinkedBlockingQueue<>();
        BlockingQueue<ObjectNode> onB = new LinkedBlockingQueue<>();
        replicaA.subscribe("test/notes", "folders", onA::add);
        replicaB.subscribe("test/notes", "folders", onB::add);

        publishCommitted("test/notes", "folders", payload("created"));

        assertThat(next(onA).get("text").asText()).isEqualTo("created");
        assertThat(next(onB).get("text").asText()).isEqualTo("created");
    }

    @Test
    void aRolledBackEventReachesNobody() throws Exception {
        BlockingQueue<ObjectNode> onA = new LinkedBlockingQueue<>();
        BlockingQueue<ObjectNode> onB = new LinkedBlockingQueue<>();
        replicaA.subscribe("test/notes", "folders", onA::add);
        replicaB.subscribe("test/notes", "folders", onB::add);

        assertThatThrownBy(() -> db.inTransaction(tx -> {
                    replicaA.publish(tx, "test/notes", "folders", payload("undone"));
                    throw new SQLException("the statement failed after all");
                }))
                .hasMessage("the statement failed after all");
        publishCommitted("test/notes", "folders", payload("marker"));

        // Events arrive in commit order, so had the rolled-back one been sent it would come first.
        assertThat(next(onA).get("text").asText()).isEqualTo("marker");
        assertThat(next(onB).get("text").asText()).isEqualTo("marker");
    }

    @Test
    void aLargePayloadArrivesWhole() throws Exception {
        BlockingQueue<ObjectNode> onB = new LinkedBlockingQueue<>();
        replicaB.subscribe("test/notes", "big", onB::add);
        ObjectNode large = payload("x".repeat(20_000) + "é");

        publishCommitted("test/notes", "big", large);

        assertThat(next(onB)).isEqualTo(large);
    }

    @Test
    void aLargePayloadPublishedInsideAnAppsConfinedTransactionArrivesToo() throws Exception {
        AppSchema schema = AppSchema.of("test", "events-confined");
        AppManifest manifest = TestManifests.withDatabase("[]");
        new SchemaMigrator().migrate(db, schema, manifest);
        BlockingQueue<ObjectNode> onB = new LinkedBlockingQueue<>();
        replicaB.subscribe("test/events-confined", "big", onB::add);
        ObjectNode large = payload("y".repeat(20_000));

        String roleAfter = db.inApp(schema, tx -> {
            replicaA.publish(tx, "test/events-confined", "big", large);
            try (var rs = tx.createStatement().executeQuery("SELECT current_user")) {
                rs.next();
                return rs.getString(1);
            }
        });

        assertThat(roleAfter).as("still the app's role after publishing").isEqualTo(schema.name());
        assertThat(next(onB)).isEqualTo(large);
    }

    @Test
    void aNotificationAnAppsSqlSendsIsNotDelivered() throws Exception {
        AppSchema schema = AppSchema.of("test", "events-forger");
        new SchemaMigrator().migrate(db, schema, TestManifests.withDatabase("[]"));
        BlockingQueue<ObjectNode> victim = new LinkedBlockingQueue<>();
        replicaB.subscribe("test/victim", "monitor:notes", victim::add);
        String forged = "{\"app\": \"test/victim\", \"topic\": \"monitor:notes\", \"payload\": {\"text\": \"forged\"}}";

        db.inApp(schema, tx -> {
            try (var st = tx.createStatement()) {
                st.execute("SELECT pg_notify('" + AppEvents.CHANNEL + "', '" + forged + "')");
                st.execute("SELECT pg_notify('" + AppEvents.CHANNEL + "', '" + "0".repeat(64) + " " + forged + "')");
                st.execute("NOTIFY " + AppEvents.CHANNEL + ", '" + "ab".repeat(32) + " "
                        + forged.replace("forged", "forged too") + "'");
            }
            return null;
        });
        publishCommitted("test/victim", "monitor:notes", payload("genuine"));

        // Events arrive in commit order: had a forged one been delivered, it would have come first.
        assertThat(next(victim).get("text").asText()).isEqualTo("genuine");
        assertThat(victim).isEmpty();
    }

    @Test
    void appsAndTopicsAreKeptApart() throws Exception {
        BlockingQueue<ObjectNode> notesFolders = new LinkedBlockingQueue<>();
        BlockingQueue<ObjectNode> notesConfig = new LinkedBlockingQueue<>();
        BlockingQueue<ObjectNode> otherFolders = new LinkedBlockingQueue<>();
        replicaB.subscribe("test/notes", "folders", notesFolders::add);
        replicaB.subscribe("test/notes", "config", notesConfig::add);
        replicaB.subscribe("test/other", "folders", otherFolders::add);

        publishCommitted("test/other", "folders", payload("other folders"));
        publishCommitted("test/notes", "config", payload("notes config"));
        publishCommitted("test/notes", "folders", payload("notes folders"));

        assertThat(next(notesFolders).get("text").asText()).isEqualTo("notes folders");
        assertThat(next(notesConfig).get("text").asText()).isEqualTo("notes config");
        assertThat(next(otherFolders).get("text").asText()).isEqualTo("other folders");
        // The last event was delivered after the others, so anything misrouted would be queued by now.
        assertThat(notesFolders).isEmpty();
        assertThat(notesConfig).isEmpty();
        assertThat(otherFolders).isEmpty();
    }

    @Test
    void aFailingListenerDoesNotStopTheOthersNorLaterEvents() throws Exception {
        BlockingQueue<ObjectNode> received = new LinkedBlockingQueue<>();
        replicaB.subscribe("test/notes", "folders", event -> {
            throw new IllegalStateException("listener bug");
        });
        replicaB.subscribe("test/notes", "folders", received::add);

        publishCommitted("test/notes", "folders", payload("first"));
        publishCommitted("test/notes", "folders", payload("second"));

        assertThat(next(received).get("text").asText()).isEqualTo("first");
        assertThat(next(received).get("text").asText()).isEqualTo("second");
    }

    @Test
    void aClosedSubscriptionHearsNoMore() throws Exception {
        List<String> closedOne = new ArrayList<>();
        BlockingQueue<ObjectNode> stillOpen = new LinkedBlockingQueue<>();
        AppEvents.Subscription subscription = replicaB.subscribe(
                "test/notes", "folders", e -> closedOne.add(e.get("text").asText()));
        replicaB.subscribe("test/notes", "folders", stillOpen::add);

        publishCommitted("test/notes", "folders", payload("before"));
        next(stillOpen);
        subscription.close();
        publishCommitted("test/notes", "folders", payload("after"));
        next(stillOpen);

        assertThat(closedOne).containsExactly("before");
    }

    @Test
    void aReplicaWhoseConnectionDropsListensAgain() throws Exception {
        BlockingQueue<ObjectNode> onB = new LinkedBlockingQueue<>();
        replicaB.subscribe("test/notes", "folders", onB::add);
        db.inTransaction(
                c -> c.createStatement()
                        .execute(
                                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'scriptforge-app-events'"));

        // Events sent while it reconnects are missed: publish until one gets through.
        ObjectNode got = null;
        for (int attempt = 0; attempt < 100 && got == null; attempt++) {
            publishCommitted("test/notes", "folders", payload("after the drop"));
            got = onB.poll(200, TimeUnit.MILLISECONDS);
        }
        assertThat(got).as("an event after reconnecting").isNotNull();
        assertThat(got.get("text").asText()).isEqualTo("after the drop");
    }
}
