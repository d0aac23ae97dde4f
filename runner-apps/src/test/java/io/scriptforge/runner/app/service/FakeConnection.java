package io.scriptforge.runner.app.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.runner.app.session.SessionIdentity;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A logged-in session whose sent messages the test reads. */
final class FakeConnection implements ServiceConnection {
    private final String id;
    private final SessionIdentity identity;
    final BlockingQueue<ObjectNode> sent = new LinkedBlockingQueue<>();
    volatile boolean closed;

    FakeConnection(String id, SessionIdentity identity) {
        this.id = id;
        this.identity = identity;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SessionIdentity identity() {
        return identity;
    }

    @Override
    public void send(ObjectNode message) {
        sent.add(message);
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The next message the service sent; fails when none comes. */
    ObjectNode next() {
        try {
            ObjectNode message = sent.poll(ServiceFixture.WAIT_SECONDS, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("the service sent nothing to " + id);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
