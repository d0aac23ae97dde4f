package io.scriptforge.runner.app.service;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request to the app that is neither a static file nor dbfiles, for the service's
 * {@code WebServer.onrequest} handlers. {@code path} is relative to the app's base URL, without '/'.
 */
public record ServiceRequest(
        String method, String path, Map<String, List<String>> query, Map<String, String> headers, byte[] body) {}
