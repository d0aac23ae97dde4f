package io.scriptforge.runner.app.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.scriptforge.runner.app.service.ServiceSql.Query;
import io.scriptforge.runner.db.SqlWork;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The service's database work: blocking JDBC on virtual threads, each query in its own transaction
 * confined to the app ({@code inApp}), or in one of the app's explicit transactions. Results go
 * back through {@link Results}, which posts them to the app's loop.
 */
final class ServiceDatabase {
    private static final Logger LOG = Logger.getLogger(ServiceDatabase.class);
    /** Connections one app may hold at once, so one busy app cannot take the whole pool. */
    static final int MAX_CONNECTIONS = 4;
    /** A transaction that gets no statement and no end for this long is rolled back, freeing its connection. */
    static final Duration TRANSACTION_IDLE_LIMIT = Duration.ofSeconds(60);

    /** Where outcomes go; called on database threads. */
    interface Results {
        void succeeded(long operation, JsonNode value);

        void failed(long operation, String message, String sqlState);
    }

    private final ServiceBackend backend;
    private final Results results;
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS, true);
    private final Map<Long, Transaction> transactions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ServiceDatabase(ServiceBackend backend, Results results) {
        this.backend = backend;
        this.results = results;
    }

    /** A query in a transaction of its own. */
    void query(long operation, Query query) {
        Thread.ofVirtual().name("sf-app-db").start(() -> {
            if (closed) {
                return;
            }
            connections.acquireUninterruptibly();
            try {
                JsonNode value =
                        backend.database().inApp(backend.schema(), connection -> ServiceSql.run(connection, query));
                results.succeeded(operation, value);
            } catch (SQLException e) {
                results.failed(operation, ServiceSql.describe(e), e.getSQLState());
            } catch (RuntimeException e) {
                results.failed(operation, String.valueOf(e.getMessage()), null);
            } finally {
                connections.release();
            }
        });
    }

    /** Opens transaction {@code id}: statements queued before its connection is ready wait for it. */
    Transaction open(long id) {
        Transaction tx = new Transaction(id);
        transactions.put(id, tx);
        return tx;
    }

    /** Starts the transaction's thread (deferred while the app's files are still being evaluated). */
    void start(Transaction tx) {
        Thread.ofVirtual().name("sf-app-tx").start(tx::run);
    }

    void queryIn(long transaction, long operation, Query query) {
        Transaction tx = transactions.get(transaction);
        if (tx == null || !tx.offer(new Run(operation, query))) {
            results.failed(operation, overMessage(tx), null);
        }
    }

    void end(long transaction, long operation, boolean commit) {
        Transaction tx = transactions.get(transaction);
        if (tx == null || !tx.offer(new End(operation, commit))) {
            results.failed(operation, overMessage(tx), null);
        }
    }

    /** Rolls back every open transaction; queries already running finish, their results are dropped by the loop. */
    void close() {
        closed = true;
        for (Transaction tx : transactions.values()) {
            tx.offer(new End(0, false));
        }
    }

    private static String overMessage(Transaction tx) {
        return tx == null || tx.endReason == null ? "the transaction is over" : tx.endReason;
    }

    private sealed interface Item permits Run, End {}

    private record Run(long operation, Query query) implements Item {}

    /** {@code operation} 0: the platform's own rollback (the service is closing); nobody waits for it. */
    private record End(long operation, boolean commit) implements Item {}

    /** Thrown inside the transaction to make inApp roll it back. */
    private static final class RollBack extends RuntimeException {
        RollBack(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * One transaction: a virtual thread holding one connection, running the queued statements in
     * order until the app's function settles (End) or it idles too long.
     */
    final class Transaction implements SqlWork<Void> {
        private final long id;
        private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
        private boolean over; // guarded by this
        private volatile String endReason;
        private String failedStatement;
        private End end;

        Transaction(long id) {
            this.id = id;
        }

        synchronized boolean offer(Item item) {
            if (over) {
                return false;
            }
            queue.add(item);
            return true;
        }

        private void run() {
            String failure = null;
            connections.acquireUninterruptibly();
            try {
                backend.database().inApp(backend.schema(), this);
            } catch (RollBack e) {
                failure = e.getMessage();
            } catch (SQLException e) {
                failure = ServiceSql.describe(e);
            } catch (RuntimeException e) {
                failure = String.valueOf(e.getMessage());
            } finally {
                connections.release();
            }
            finish(failure);
        }

        @Override
        public Void run(Connection connection) throws SQLException {
            while (true) {
                Item item;
                try {
                    item = queue.poll(TRANSACTION_IDLE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RollBack("the transaction was rolled back: the runner is stopping");
                }
                if (item == null) {
                    throw new RollBack("the transaction was rolled back: it had no statement and no end for "
                            + TRANSACTION_IDLE_LIMIT.toSeconds() + " s (its function's promise never settled?)");
                }
                switch (item) {
                    case Run run -> execute(connection, run);
                    case End e -> {
                        end = e;
                        if (!e.commit()) {
                            throw new RollBack(null);
                        }
                        if (failedStatement != null) {
                            throw new RollBack("the transaction was rolled back: a statement in it failed ("
                                    + failedStatement + ")");
                        }
                        return null; // inApp commits
                    }
                }
            }
        }

        private void execute(Connection connection, Run run) {
            if (failedStatement != null) {
                // PostgreSQL refuses everything after a failure in a transaction: say why, once, in our words.
                results.failed(
                        run.operation(),
                        "the transaction failed earlier (" + failedStatement + "): it will be rolled back",
                        "25P02");
                return;
            }
            try {
                results.succeeded(run.operation(), ServiceSql.run(connection, run.query()));
            } catch (SQLException e) {
                failedStatement = ServiceSql.describe(e);
                results.failed(run.operation(), failedStatement, e.getSQLState());
            } catch (RuntimeException e) {
                failedStatement = String.valueOf(e.getMessage());
                results.failed(run.operation(), failedStatement, null);
            }
        }

        /** Reports the end, and refuses whatever was queued behind it. */
        private void finish(String failure) {
            List<Item> left = new ArrayList<>();
            synchronized (this) {
                over = true;
                endReason = failure != null
                        ? failure
                        : "the transaction is over: it was "
                                + (end != null && end.commit() ? "committed" : "rolled back");
                queue.drainTo(left);
            }
            transactions.remove(id);
            if (end != null && end.operation() != 0) {
                boolean rolledBackAsAsked = !end.commit() && failure == null;
                if (failure == null || rolledBackAsAsked) {
                    results.succeeded(end.operation(), ServiceJson.NODES.nullNode());
                } else {
                    results.failed(end.operation(), failure, null);
                }
            }
            for (Item item : left) {
                long operation = item instanceof Run run ? run.operation() : ((End) item).operation();
                if (operation != 0) {
                    results.failed(operation, endReason, null);
                }
            }
            if (failure != null && end == null) {
                LOG.debugf(
                        "transaction %d of %s ended: %s", id, backend.schema().appName(), failure);
            }
        }
    }
}
