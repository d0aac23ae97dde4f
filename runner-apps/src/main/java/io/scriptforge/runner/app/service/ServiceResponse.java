package io.scriptforge.runner.app.service;

import java.util.Map;

/** What a service's HTTP handler answered. */
public record ServiceResponse(int status, Map<String, String> headers, byte[] body) {}
