package io.scriptforge.runner;

import io.fabric8.kubernetes.client.Config;
import io.scriptforge.runner.config.RunnerConfig;
import io.scriptforge.runner.control.ApiServerTls;
import io.scriptforge.runner.control.ControlAuthority;
import io.scriptforge.runner.control.KubernetesAuthority;
import io.scriptforge.runner.control.LocalToken;
import io.scriptforge.runner.control.LocalTokenAuthority;
import io.scriptforge.runner.control.OpenAuthority;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** The control API's authority, as {@code scriptforge.control.auth} (or the mode) chooses it. */
public class ControlBeans {
    private static final Logger LOG = Logger.getLogger(ControlBeans.class);

    @Produces
    @Singleton
    ControlAuthority authority(RunnerConfig config) {
        RunnerConfig.Control control = config.control();
        return switch (control.auth()) {
            case NONE -> {
                LOG.warn(
                        "scriptforge.control.auth=none: anyone who reaches this runner may list, read, cancel and enqueue for every namespace");
                yield new OpenAuthority();
            }
            case TOKEN -> new LocalTokenAuthority(control.token().orElseGet(() -> madeToken(control)));
            case KUBERNETES -> {
                Config kubernetes = Config.autoConfigure(null);
                LOG.infof(
                        "control API: a bearer token is its holder's, checked by %s (SelfSubjectReview, SelfSubjectAccessReview on scriptforge.io)",
                        kubernetes.getMasterUrl());
                yield new KubernetesAuthority(
                        URI.create(kubernetes.getMasterUrl()),
                        ApiServerTls.of(kubernetes),
                        control.reviewCache(),
                        control.newTokensPerSecond());
            }
        };
    }

    private static String madeToken(RunnerConfig.Control control) {
        Path file =
                Path.of(control.tokenFile().orElse(System.getProperty("user.home") + "/.scriptforge/control-token"));
        try {
            String token = LocalToken.readOrMake(file);
            LOG.infof(
                    "control API: send the token in %s, e.g. curl -H \"Authorization: Bearer $(cat %s)\" .../v1/scripts",
                    file, file);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the control API's token file " + file + " cannot be used: " + e.getMessage(), e);
        }
    }
}
