package io.scriptforge.sandbox.bridge;

import java.util.function.Function;
import org.graalvm.polyglot.Value;

/**
 * One declared parameter of a host function: its name and the JavaScript values it accepts. The bridge decodes
 * every argument through its parameter before the function runs, so a function's body sees Java values only.
 */
public final class Param<T> {
    private final String name;
    private final String accepts;
    private final boolean optional;
    private final Function<Value, T> decoder; // null when the value does not fit

    private Param(String name, String accepts, boolean optional, Function<Value, T> decoder) {
        this.name = name;
        this.accepts = accepts;
        this.optional = optional;
        this.decoder = decoder;
    }

    public static Param<String> string(String name) {
        return new Param<>(name, "a string", false, Param::asString);
    }

    /** A string, or null or undefined: then the body sees null. */
    public static Param<String> optionalString(String name) {
        return new Param<>(name, "a string or null", true, Param::asString);
    }

    /** A whole number in the range of a Java int. */
    public static Param<Integer> integer(String name) {
        return new Param<>(name, "a 32-bit integer", false, v -> v.isNumber() && v.fitsInInt() ? v.asInt() : null);
    }

    /** A whole number in the range of a Java long. */
    public static Param<Long> longInteger(String name) {
        return new Param<>(name, "an integer", false, Param::asLong);
    }

    /** A whole number, or null or undefined: then the body sees null. */
    public static Param<Long> optionalLong(String name) {
        return new Param<>(name, "an integer or null", true, Param::asLong);
    }

    public static Param<Boolean> bool(String name) {
        return new Param<>(name, "a boolean", false, v -> v.isBoolean() ? v.asBoolean() : null);
    }

    String name() {
        return name;
    }

    /**
     * The argument as the body sees it; {@code argument} is null when the call did not pass it.
     *
     * @throws Mismatch naming what was expected and what came, when the argument does not fit
     */
    T decode(Value argument) {
        if (argument == null || argument.isNull()) {
            if (optional) {
                return null;
            }
            throw mismatch(argument == null ? "missing" : argument.toString());
        }
        T decoded = decoder.apply(argument);
        if (decoded == null) {
            throw mismatch(describe(argument));
        }
        return decoded;
    }

    private Mismatch mismatch(String what) {
        return new Mismatch(name + " must be " + accepts + ", not " + what);
    }

    /** An argument that does not fit its parameter: a defect of the library that made the call. */
    static final class Mismatch extends RuntimeException {
        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    private static String describe(Value argument) {
        if (argument.isString()) {
            return "a string";
        }
        if (argument.isNumber()) {
            return "the number " + argument;
        }
        if (argument.isBoolean()) {
            return "a boolean";
        }
        return argument.canExecute() ? "a function" : "an object";
    }

    private static String asString(Value v) {
        return v.isString() ? v.asString() : null;
    }

    private static Long asLong(Value v) {
        return v.isNumber() && v.fitsInLong() ? v.asLong() : null;
    }
}
