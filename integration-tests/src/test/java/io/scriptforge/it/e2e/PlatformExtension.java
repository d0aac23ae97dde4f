package io.scriptforge.it.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Installs the {@link Platform} once per run, the first time a class asks for it, and keeps it in the root store so
 * every E2E class shares it; a failed install is remembered, so later classes fail at once with the same cause.
 */
final class PlatformExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PlatformExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Platform.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .computeIfAbsent(Shared.class, key -> new Shared(), Shared.class)
                .get();
    }

    private static final class Shared implements AutoCloseable {
        private Platform platform;
        private RuntimeException failure;

        synchronized Platform get() {
            if (failure != null) {
                throw new IllegalStateException("the platform failed to install earlier in this run", failure);
            }
            if (platform == null) {
                try {
                    platform = Platform.install(RealNode.connect());
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return platform;
        }

        @Override
        public synchronized void close() {
            if (platform != null) {
                platform.close();
            }
        }
    }
}
