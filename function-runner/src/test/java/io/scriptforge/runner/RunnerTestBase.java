package io.scriptforge.runner;

import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import org.junit.jupiter.api.BeforeEach;

/** What every black-box test of the runner shares: the running app's real port, as a client. */
abstract class RunnerTestBase {
    @TestHTTPResource("/")
    URL base;

    RunnerClient runner;

    @BeforeEach
    void connect() {
        runner = new RunnerClient(base);
    }
}
