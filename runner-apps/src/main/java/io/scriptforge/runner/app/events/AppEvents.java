package io.scriptforge.runner.app.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.runner.db.PlatformSchema;
import io.scriptforge.runner.db.PlatformSecret;
import io.scriptforge.runner.db.RunnerDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Events every runner replica hears, such as SqlUpdates for monitoring sessions and config changes,
 * carried by PostgreSQL's LISTEN/NOTIFY. An event is published inside the caller's transaction, so
 * it goes out only if that commits. Each replica listens on one dedicated connection and calls the
 * listeners of the event's app and topic, in order, on its one reader thread. Events published
 * while a replica's connection is down are not replayed to it.
 *
 * <p>Any SQL may NOTIFY on the channel, an app's too; so each event is signed with a key derived
 * from the {@link PlatformSecret}, which apps cannot read, and a notification whose signature does
 * not verify is dropped: an app cannot forge another's SqlUpdates or config changes.
 */
public final class AppEvents implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AppEvents.class);
    static final String CHANNEL = "scriptforge_app_events";
    /** NOTIFY takes at most 8000 bytes; larger events go through {@link #STORE} and only their id is notified. */
    static final int INLINE_LIMIT = 7000;

    static final String STORE = PlatformSchema.EVENT_PAYLOADS;
    private static final String APPLICATION_NAME = "scriptforge-app-events";
    private static final String SIGNING_PURPOSE = "app events";
    /** A notification is the event's signature (hex HMAC-SHA256), a space, and the event's JSON. */
    private static final int SIGNATURE_CHARS = 64;

    private static final long FORGED_LOG_EVERY_NANOS = 60_000_000_000L;
    private static final int POLL_MILLIS = 500;
    private static final long CLEANUP_EVERY_NANOS = 30_000_000_000L;
    private static final long FIRST_BACKOFF_MILLIS = 200;
    private static final long MAX_BACKOFF_MILLIS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunnerDatabase db;
    private final Map<Topic, List<Listener>> listeners = new ConcurrentHashMap<>();
    private volatile PlatformSecret secret;
    private volatile boolean closed;
    private Thread reader;
    /** Only the reader thread uses it once started. */
    private Connection listening;
    /** Only the reader thread uses them: forged notifications dropped since the last warning, and when the next may be logged. */
    private long forgedSinceLog;

    private long nextForgedLog = System.nanoTime();

    public AppEvents(RunnerDatabase db) {
        this.db = db;
    }

    /** Listens from now on: events committed after this returns reach this replica's subscribers. */
    public synchronized void start() throws SQLException {
        if (reader != null) {
            return;
        }
        secret = db.platformSecret();
        listening = listen();
        reader = Thread.ofPlatform().daemon().name("scriptforge-app-events").start(this::readLoop);
    }

    /**
     * Sends {@code payload} to every replica's subscribers of {@code app} and {@code topic} when
     * {@code tx} commits; nothing when it rolls back. {@code tx} may be an app's (logged in as its role).
     */
    public void publish(Connection tx, String app, String topic, ObjectNode payload) throws SQLException {
        ObjectNode event = JSON.createObjectNode().put("app", app).put("topic", topic);
        event.set("payload", payload);
        String message = event.toString();
        if (message.getBytes(StandardCharsets.UTF_8).length > INLINE_LIMIT) {
            long id = store(message);
            message = JSON.createObjectNode()
                    .put("app", app)
                    .put("topic", topic)
                    .put("stored", id)
                    .toString();
        }
        try (PreparedStatement notify = tx.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, secret().sign(SIGNING_PURPOSE, message) + " " + message);
            notify.execute();
        }
    }

    /**
     * Calls {@code listener} with the payload of each event of {@code app} and {@code topic}, on the
     * reader thread: it should be quick, and treat the payload, shared by all listeners, as read-only.
     * A listener that throws is logged and does not stop the others.
     */
    public Subscription subscribe(String app, String topic, Consumer<ObjectNode> listener) {
        Topic key = new Topic(app, topic);
        Listener entry = new Listener(listener);
        listeners.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(entry);
        return () -> listeners.computeIfPresent(key, (k, list) -> {
            list.remove(entry);
            return list.isEmpty() ? null : list;
        });
    }

    /** Stops listening; waits for the reader to finish its current poll. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = reader;
        }
        if (running == null) {
            return;
        }
        running.interrupt();
        try {
            running.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A subscription; closing it stops the calls. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private record Topic(String app, String topic) {}

    /** Its own object (identity equality), so that closing one of two identical subscriptions removes just that one. */
    private static final class Listener {
        private final Consumer<ObjectNode> consumer;

        Listener(Consumer<ObjectNode> consumer) {
            this.consumer = consumer;
        }

        Consumer<ObjectNode> consumer() {
            return consumer;
        }
    }

    private void readLoop() {
        long backoff = FIRST_BACKOFF_MILLIS;
        long nextCleanup = System.nanoTime();
        boolean down = false;
        while (!closed) {
            try {
                if (listening == null) {
                    listening = listen();
                    LOG.info("app events: listening again");
                    backoff = FIRST_BACKOFF_MILLIS;
                    down = false;
                }
                PGNotification[] notifications =
                        listening.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                if (notifications != null) {
                    for (PGNotification notification : notifications) {
                        if (CHANNEL.equals(notification.getName())) {
                            String message = verified(notification.getParameter());
                            if (message != null) {
                                deliver(message);
                            }
                        }
                    }
                }
                if (System.nanoTime() - nextCleanup >= 0) {
                    deleteOldStored();
                    nextCleanup = System.nanoTime() + CLEANUP_EVERY_NANOS;
                }
            } catch (SQLException e) {
                if (closed) {
                    break;
                }
                if (!down) {
                    LOG.warnf(
                            "app events: lost the database connection (%s); reconnecting, events meanwhile are missed",
                            e.getMessage());
                    down = true;
                }
                closeQuietly(listening);
                listening = null;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
        closeQuietly(listening);
        listening = null;
    }

    private Connection listen() throws SQLException {
        Connection connection = db.dedicatedConnection();
        try (Statement st = connection.createStatement()) {
            st.execute("SET application_name = '" + APPLICATION_NAME + "'");
            st.execute("LISTEN " + CHANNEL);
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** The event's JSON when the notification carries its valid signature; null (and dropped) when not. */
    private String verified(String notification) {
        if (notification.length() > SIGNATURE_CHARS && notification.charAt(SIGNATURE_CHARS) == ' ') {
            String message = notification.substring(SIGNATURE_CHARS + 1);
            byte[] expected = secret.sign(SIGNING_PURPOSE, message).getBytes(StandardCharsets.US_ASCII);
            byte[] given = notification.substring(0, SIGNATURE_CHARS).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, given)) {
                return message;
            }
        }
        forgedSinceLog++;
        if (System.nanoTime() - nextForgedLog >= 0) {
            LOG.warnf(
                    "app events: dropped %d notification(s) on %s whose signature did not verify: not sent by a runner"
                            + " (an app's SQL may NOTIFY on the channel, but cannot sign)",
                    forgedSinceLog, CHANNEL);
            forgedSinceLog = 0;
            nextForgedLog = System.nanoTime() + FORGED_LOG_EVERY_NANOS;
        }
        return null;
    }

    private void deliver(String message) throws SQLException {
        JsonNode event;
        try {
            event = JSON.readTree(message);
            if (event.has("stored")) {
                event = JSON.readTree(loadStored(event.get("stored").asLong()));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warnf("app events: ignored an unreadable event (%s)", e.getMessage());
            return;
        }
        List<Listener> subscribed = listeners.get(
                new Topic(event.path("app").asText(), event.path("topic").asText()));
        if (subscribed == null || !(event.get("payload") instanceof ObjectNode payload)) {
            return;
        }
        for (Listener listener : subscribed) {
            try {
                listener.consumer().accept(payload);
            } catch (RuntimeException e) {
                LOG.warnf(
                        e,
                        "app events: a listener of %s/%s failed",
                        event.path("app").asText(),
                        event.path("topic").asText());
            }
        }
    }

    private String loadStored(long id) throws SQLException {
        try (PreparedStatement st = listening.prepareStatement("SELECT message FROM " + STORE + " WHERE id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("stored event " + id + " is gone");
                }
                return rs.getString(1);
            }
        }
    }

    private void deleteOldStored() throws SQLException {
        try (Statement st = listening.createStatement()) {
            st.executeUpdate("DELETE FROM " + STORE + " WHERE created < now() - interval '5 minutes'");
        }
    }

    /**
     * Stores a large event as the runner's user, committed at once: the caller's transaction may be
     * an app's, which cannot reach the runners' schema. Its notification still goes out only if
     * that transaction commits; a row no notification names is deleted with the old ones.
     */
    private long store(String message) throws SQLException {
        return db.inTransaction(c -> {
            try (PreparedStatement st =
                    c.prepareStatement("INSERT INTO " + STORE + " (message) VALUES (?) RETURNING id")) {
                st.setString(1, message);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private PlatformSecret secret() throws SQLException {
        PlatformSecret known = secret;
        if (known == null) {
            known = db.platformSecret();
            secret = known;
        }
        return known;
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("app events: closing the listening connection: %s", e.getMessage());
            }
        }
    }
}
