package io.scriptforge.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Service's virtual IP as kube-proxy (iptables mode) makes it: each new connection goes to one of the current
 * endpoints, round robin, and stays with that one for good; removing an endpoint affects only later connections.
 * Bytes are forwarded both ways as they come, and each side's end of stream is passed on to the other.
 */
final class ServiceProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Integer> endpoints = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    ServiceProxy(List<Integer> endpointPorts) {
        endpoints.addAll(endpointPorts);
        try {
            listener = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("service-proxy").start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The endpoint controller and kube-proxy have taken {@code port} out: new connections go to the others. */
    void remove(int port) {
        endpoints.remove(Integer.valueOf(port));
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread.ofVirtual().start(() -> forward(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void forward(Socket client) {
        List<Integer> now = List.copyOf(endpoints);
        int port = now.get(Math.floorMod(next.getAndIncrement(), now.size()));
        try (client;
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port)) {
            Thread back = Thread.ofVirtual().start(() -> pump(upstream, client));
            pump(client, upstream);
            back.join();
        } catch (IOException | InterruptedException e) {
            // the connection failed as a real one would: the client sees it closed
        }
    }

    /** Copies until {@code from} ends, then ends what goes to {@code to}, as TCP passes a FIN on. */
    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(to); // a reset on one side resets the other
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
