package io.scriptforge.runner.app.sql;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Takes a statement's rows one at a time, as they are fetched. */
@FunctionalInterface
public interface RowSink {
    /**
     * May block until the client can take more (the WebSocket's back-pressure); meanwhile no more
     * rows are fetched. Throwing stops the statement and rolls it back.
     */
    void row(ObjectNode row) throws InterruptedException;
}
