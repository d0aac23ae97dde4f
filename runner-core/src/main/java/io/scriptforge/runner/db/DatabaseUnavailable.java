package io.scriptforge.runner.db;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a database that does not answer (not up yet, restarting, unreachable, out of connections) from one that
 * answers and refuses: only the first is worth trying again as it is.
 */
public final class DatabaseUnavailable {
    /** The status of an App that waits for its database. */
    public static final String REASON = "DatabaseUnavailable";
    /** PostgreSQL's: shutting down by an admin, after a crash, starting up; too many connections. Class 08 is any connection failure. */
    private static final Set<String> NOT_NOW = Set.of("57P01", "57P02", "57P03", "53300");

    private DatabaseUnavailable() {}

    /** Whether {@code failure}, or one of its causes, says the database did not answer. */
    public static boolean causedBy(Throwable failure) {
        return unanswered(failure).isPresent();
    }

    /** The driver's words for why the database did not answer, else {@code failure}'s own message. */
    public static String message(Throwable failure) {
        return unanswered(failure).map(Throwable::getMessage).orElse(failure.getMessage());
    }

    private static Optional<Throwable> unanswered(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && notAnswering(sql)) {
                return Optional.of(sql);
            }
            if (cause instanceof ConnectException
                    || cause instanceof NoRouteToHostException
                    || cause instanceof UnknownHostException
                    || cause instanceof SocketTimeoutException) {
                return Optional.of(cause);
            }
        }
        return Optional.empty();
    }

    private static boolean notAnswering(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || state != null && (state.startsWith("08") || NOT_NOW.contains(state));
    }
}
