package io.scriptforge.runner.npm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server on 127.0.0.1 standing in for the APIs the npm modules call: it echoes every request as
 * JSON, sets a cookie on /login, and serves the fixtures under src/test/resources/npm on /files/.
 */
public final class LocalHttpServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    /** Every request seen, as the echo answers it. */
    public final List<ObjectNode> requests = new CopyOnWriteArrayList<>();

    public LocalHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        ObjectNode echo = JSON.createObjectNode()
                .put("method", exchange.getRequestMethod())
                .put("path", exchange.getRequestURI().toString())
                .put("contentType", exchange.getRequestHeaders().getFirst("Content-Type"))
                .put("cookie", exchange.getRequestHeaders().getFirst("Cookie"))
                .put("authorization", exchange.getRequestHeaders().getFirst("Authorization"))
                .put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        requests.add(echo);
        String type = "application/json";
        String body;
        if (path.startsWith("/files/")) {
            type = "text/xml";
            body = fixture(path.substring("/files/".length()));
        } else if (path.equals("/soap/calc")) {
            type = "text/xml";
            body = fixture("calc-add-response.xml");
        } else if (path.startsWith("/elasticemail/")) {
            body = "{\"success\":true,\"data\":" + echo + "}";
        } else {
            if (path.equals("/login")) {
                exchange.getResponseHeaders().add("Set-Cookie", "sid=s3cr3t; Path=/");
            }
            body = echo.toString();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String fixture(String name) throws IOException {
        try (InputStream in = LocalHttpServer.class.getResourceAsStream("/npm/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("PORT", Integer.toString(port()));
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
