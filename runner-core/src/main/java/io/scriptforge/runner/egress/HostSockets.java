package io.scriptforge.runner.egress;

import java.util.function.Consumer;

/** Raw TCP connections for the Scripts' modules (Node's net, for ftp), under the same egress policy as HTTP. */
public interface HostSockets {
    /**
     * Opens a connection; its events (connect, data, end, error, then close, always last) go to
     * {@code events} on host threads, in order.
     *
     * @param remainingMillis what is left of the invocation's deadline: the connection never outlives it
     */
    Connection connect(String host, int port, long remainingMillis, Consumer<Event> events);

    /** An open (or opening) connection. Writes before the connect event are sent once it is open. */
    interface Connection {
        void write(byte[] data);

        /** Half-closes: no more writes, reading goes on. */
        void end();

        /** Closes at once; a close event still follows. */
        void close();
    }

    /**
     * One thing that happened to a connection, as the sandbox receives it.
     *
     * @param type connect, data, end, error or close
     * @param data data's bytes as base64, else null
     * @param detail connect: the remote address; error: the message; else null
     * @param code error: Node's error code (EGRESS_DENIED, ECONNREFUSED, E2BIG...), else null
     */
    record Event(String type, String data, String detail, String code) {
        public boolean last() {
            return type.equals("close");
        }
    }

    /** For runners without one: every connection fails, saying so. */
    HostSockets NONE = refusing("this runner has no TCP client for Scripts");

    /** A client whose every connection fails at once with {@code message}, as a denied egress does. */
    static HostSockets refusing(String message) {
        return (host, port, remainingMillis, events) -> {
            events.accept(new Event("error", null, message, "EGRESS_DENIED"));
            events.accept(new Event("close", null, null, null));
            return new Connection() {
                @Override
                public void write(byte[] data) {}

                @Override
                public void end() {}

                @Override
                public void close() {}
            };
        };
    }
}
