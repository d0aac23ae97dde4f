package io.scriptforge.runner.app.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.manifest.AppManifest.Statement;
import io.scriptforge.runner.db.AppSchema;
import java.util.Iterator;

/**
 * A client's SqlInsert or SqlExec from name to result: picks the statement variant the session's
 * modes grant, binds the args, runs it, and keeps what a statement declared with {@code return}
 * gives back (SqlInsert: the new id; SqlExec: the first column of the first row) for the session's
 * later statements to use as {@code @name}.
 */
public final class StatementRunner {
    private final StatementExecutor executor;

    public StatementRunner(StatementExecutor executor) {
        this.executor = executor;
    }

    public StatementResult insert(
            AppSchema schema,
            StatementCatalog catalog,
            String name,
            ObjectNode args,
            SessionVariables session,
            TransactionHook hook)
            throws StatementException {
        BoundStatement bound = bind(catalog, name, args, session);
        StatementResult result = executor.insert(schema, bound, hook);
        keepReturned(bound.statement(), result.id(), session);
        return result;
    }

    public StatementResult exec(
            AppSchema schema,
            StatementCatalog catalog,
            String name,
            ObjectNode args,
            SessionVariables session,
            TransactionHook hook,
            RowSink sink)
            throws StatementException, InterruptedException {
        BoundStatement bound = bind(catalog, name, args, session);
        FirstValue first = new FirstValue(sink);
        StatementResult result = executor.exec(schema, bound, first, hook);
        keepReturned(bound.statement(), first.value, session);
        return result;
    }

    private static BoundStatement bind(StatementCatalog catalog, String name, ObjectNode args, SessionVariables session)
            throws StatementRefused, BadArgument {
        Statement statement = catalog.select(name, session.identity().modes());
        return StatementBinder.bind(statement, args, session);
    }

    /** Called once the statement committed; no value (no row) forgets the name rather than keep a stale one. */
    private static void keepReturned(Statement statement, JsonNode value, SessionVariables session) {
        if (statement.returns() == null) {
            return;
        }
        if (value == null) {
            session.remove(statement.returns());
        } else {
            session.put(statement.returns(), value);
        }
    }

    /** Passes rows on and remembers the first column of the first one. */
    private static final class FirstValue implements RowSink {
        private final RowSink next;
        private boolean seen;
        JsonNode value;

        FirstValue(RowSink next) {
            this.next = next;
        }

        @Override
        public void row(ObjectNode row) throws InterruptedException {
            if (!seen) {
                seen = true;
                Iterator<JsonNode> columns = row.elements();
                value = columns.hasNext() ? columns.next() : null;
            }
            next.row(row);
        }
    }
}
