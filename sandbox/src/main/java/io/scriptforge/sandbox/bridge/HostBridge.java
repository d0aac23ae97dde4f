package io.scriptforge.sandbox.bridge;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The {@code host} object a sandbox library (runtime.js, app-service.js) closes over: each host function is
 * declared once with its parameters, and every call is checked against the declaration before the body runs.
 * What crosses back is plain: a string, a number, a boolean, null for nothing, or a value of the context. A
 * failure crosses in one way only: a {@link HostFailure}, or a call that does not fit its declaration, is thrown
 * into JavaScript as an Error at the call, built by the kernel's {@code hostError}.
 */
public final class HostBridge {
    private final String objectName;
    private final Value errors;
    private final Map<String, Object> members = new LinkedHashMap<>();

    /**
     * @param objectName what messages call the object ("host")
     * @param kernel the context's sandbox kernel, whose {@code hostError(kind, message)} builds the Errors thrown
     */
    public HostBridge(String objectName, Value kernel) {
        this.objectName = objectName;
        this.errors = kernel.getMember("hostError");
        if (errors == null || !errors.canExecute()) {
            throw new IllegalArgumentException("not a sandbox kernel: it has no hostError(kind, message) function");
        }
    }

    /** The object to hand the library; the functions declared after this call are not on it. */
    public ProxyObject build() {
        return ProxyObject.fromMap(Map.copyOf(members));
    }

    public <R> HostBridge function(String name, F0<R> body) {
        return define(name, List.of(), a -> body.apply());
    }

    public <A, R> HostBridge function(String name, Param<A> a, F1<A, R> body) {
        return define(name, List.of(a), v -> body.apply(a.decode(v[0])));
    }

    public <A, B, R> HostBridge function(String name, Param<A> a, Param<B> b, F2<A, B, R> body) {
        return define(name, List.of(a, b), v -> body.apply(a.decode(v[0]), b.decode(v[1])));
    }

    public <A, B, C, R> HostBridge function(String name, Param<A> a, Param<B> b, Param<C> c, F3<A, B, C, R> body) {
        return define(name, List.of(a, b, c), v -> body.apply(a.decode(v[0]), b.decode(v[1]), c.decode(v[2])));
    }

    public <A, B, C, D, R> HostBridge function(
            String name, Param<A> a, Param<B> b, Param<C> c, Param<D> d, F4<A, B, C, D, R> body) {
        return define(
                name,
                List.of(a, b, c, d),
                v -> body.apply(a.decode(v[0]), b.decode(v[1]), c.decode(v[2]), d.decode(v[3])));
    }

    public HostBridge procedure(String name, P0 body) {
        return define(name, List.of(), v -> {
            body.run();
            return null;
        });
    }

    public <A> HostBridge procedure(String name, Param<A> a, P1<A> body) {
        return define(name, List.of(a), v -> {
            body.run(a.decode(v[0]));
            return null;
        });
    }

    public <A, B> HostBridge procedure(String name, Param<A> a, Param<B> b, P2<A, B> body) {
        return define(name, List.of(a, b), v -> {
            body.run(a.decode(v[0]), b.decode(v[1]));
            return null;
        });
    }

    public <A, B, C> HostBridge procedure(String name, Param<A> a, Param<B> b, Param<C> c, P3<A, B, C> body) {
        return define(name, List.of(a, b, c), v -> {
            body.run(a.decode(v[0]), b.decode(v[1]), c.decode(v[2]));
            return null;
        });
    }

    public <A, B, C, D> HostBridge procedure(
            String name, Param<A> a, Param<B> b, Param<C> c, Param<D> d, P4<A, B, C, D> body) {
        return define(name, List.of(a, b, c, d), v -> {
            body.run(a.decode(v[0]), b.decode(v[1]), c.decode(v[2]), d.decode(v[3]));
            return null;
        });
    }

    public <A, B, C, D, E> HostBridge procedure(
            String name, Param<A> a, Param<B> b, Param<C> c, Param<D> d, Param<E> e, P5<A, B, C, D, E> body) {
        return define(name, List.of(a, b, c, d, e), v -> {
            body.run(a.decode(v[0]), b.decode(v[1]), c.decode(v[2]), d.decode(v[3]), e.decode(v[4]));
            return null;
        });
    }

    private HostBridge define(String name, List<Param<?>> params, Body body) {
        if (members.containsKey(name)) {
            throw new IllegalStateException(objectName + "." + name + " is declared twice");
        }
        String signature = objectName + "." + name + "("
                + String.join(", ", params.stream().map(Param::name).toList()) + ")";
        members.put(name, (ProxyExecutable) args -> {
            if (args.length > params.size()) {
                throw thrown("TypeError", signature + " takes " + params.size() + " argument(s), not " + args.length);
            }
            Value[] padded = new Value[params.size()]; // a missing argument decodes as undefined would
            System.arraycopy(args, 0, padded, 0, args.length);
            try {
                return body.call(padded);
            } catch (Param.Mismatch mismatch) {
                throw thrown("TypeError", signature + ": " + mismatch.getMessage());
            } catch (HostFailure failure) {
                throw thrown("Error", failure.getMessage());
            }
        });
        return this;
    }

    /** The JavaScript Error to throw at the call; what {@code throwException} throws reaches the script as is. */
    private RuntimeException thrown(String kind, String message) {
        errors.execute(kind, message).throwException();
        throw new IllegalStateException("unreachable: throwException returned");
    }

    private interface Body {
        Object call(Value[] args);
    }

    @FunctionalInterface
    public interface F0<R> {
        R apply();
    }

    @FunctionalInterface
    public interface F1<A, R> {
        R apply(A a);
    }

    @FunctionalInterface
    public interface F2<A, B, R> {
        R apply(A a, B b);
    }

    @FunctionalInterface
    public interface F3<A, B, C, R> {
        R apply(A a, B b, C c);
    }

    @FunctionalInterface
    public interface F4<A, B, C, D, R> {
        R apply(A a, B b, C c, D d);
    }

    @FunctionalInterface
    public interface P0 {
        void run();
    }

    @FunctionalInterface
    public interface P1<A> {
        void run(A a);
    }

    @FunctionalInterface
    public interface P2<A, B> {
        void run(A a, B b);
    }

    @FunctionalInterface
    public interface P3<A, B, C> {
        void run(A a, B b, C c);
    }

    @FunctionalInterface
    public interface P4<A, B, C, D> {
        void run(A a, B b, C c, D d);
    }

    @FunctionalInterface
    public interface P5<A, B, C, D, E> {
        void run(A a, B b, C c, D d, E e);
    }
}
