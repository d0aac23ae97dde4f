package io.scriptforge.runner.app.sql;

import static io.scriptforge.manifest.WholeNumbers.INT_MAX;
import static io.scriptforge.manifest.WholeNumbers.INT_MIN;
import static io.scriptforge.manifest.WholeNumbers.LONG_MAX;
import static io.scriptforge.manifest.WholeNumbers.LONG_MIN;
import static io.scriptforge.manifest.WholeNumbers.ULONG64_MAX;
import static io.scriptforge.manifest.WholeNumbers.UNSIGNED_MAX;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.manifest.AppManifest.Arg;
import io.scriptforge.manifest.AppManifest.ArgType;
import io.scriptforge.manifest.AppManifest.Statement;
import io.scriptforge.manifest.SqlTemplate;
import io.scriptforge.runner.app.session.SessionIdentity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Binds a statement's args: the client's values checked against their declared types, and the
 * server-filled ones ({@code @domain @sip @dn @guid} from the session's login, {@code @random-guid}
 * fresh, {@code @name} from an earlier statement's {@code return}). A client cannot set a
 * server-filled arg: what it sends under that name is ignored. Values only ever become JDBC
 * parameters, never SQL text.
 */
public final class StatementBinder {
    private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);
    private static final int MAX_SHOWN_VALUE = 80;

    private StatementBinder() {}

    /**
     * @param args the client's {@code args} object; null when it sent none
     * @throws BadArgument       a value does not fit its type, or an {@code @name} has no value yet
     * @throws StatementRefused  the query's placeholders do not match its declared args
     */
    public static BoundStatement bind(Statement statement, ObjectNode args, SessionVariables session)
            throws BadArgument, StatementRefused {
        SqlTemplate template = SqlTemplate.parse(statement.query());
        if (template.placeholders() != statement.args().size()) {
            throw new StatementRefused("statement '" + statement.name() + "' cannot run: its query has "
                    + template.placeholders() + " placeholder(s) outside quotes and comments but declares "
                    + statement.args().size() + " arg(s)");
        }
        List<Object> values = new ArrayList<>();
        ObjectNode obj = JSON.objectNode();
        for (Arg arg : statement.args()) {
            JsonNode given =
                    arg.serverFilled() ? serverValue(arg, session) : args == null ? null : args.get(arg.name());
            Object value = value(statement, arg, given);
            values.add(value);
            obj.set(arg.name(), json(value));
        }
        return new BoundStatement(statement, template.sql(), values, obj);
    }

    private static JsonNode serverValue(Arg arg, SessionVariables session) throws BadArgument {
        SessionIdentity identity = session.identity();
        return switch (arg.name()) {
            case "@domain" -> JSON.textNode(identity.domain());
            case "@sip" -> JSON.textNode(identity.sip());
            case "@dn" -> JSON.textNode(identity.dn());
            case "@guid" -> JSON.textNode(identity.guid());
            case "@random-guid" -> JSON.textNode(UUID.randomUUID().toString());
            default ->
                session.get(arg.name())
                        .orElseThrow(() -> new BadArgument(
                                "no value for " + arg.name() + " yet: run the statement that returns it first"));
        };
    }

    /** The Java value for {@code given} as {@code arg}'s type; null for JSON null or a missing arg. */
    private static Object value(Statement statement, Arg arg, JsonNode given) throws BadArgument {
        if (given == null || given.isNull() || given.isMissingNode()) {
            return null;
        }
        ArgType type = arg.type();
        return switch (type) {
            case STRING -> {
                if (given.isContainerNode()) {
                    throw bad(statement, arg, given);
                }
                yield given.asText();
            }
            case BOOL -> {
                if (given.isBoolean()) {
                    yield given.booleanValue();
                }
                String text = given.isTextual() ? given.textValue().trim().toLowerCase(Locale.ROOT) : "";
                if (!text.equals("true") && !text.equals("false")) {
                    throw bad(statement, arg, given);
                }
                yield Boolean.parseBoolean(text);
            }
            case INT -> whole(statement, arg, given, INT_MIN, INT_MAX).intValueExact();
            case UNSIGNED ->
                whole(statement, arg, given, BigInteger.ZERO, UNSIGNED_MAX).longValueExact();
            case LONG -> whole(statement, arg, given, LONG_MIN, LONG_MAX).longValueExact();
            case ULONG64 -> {
                BigInteger n = whole(statement, arg, given, BigInteger.ZERO, ULONG64_MAX);
                yield n.bitLength() < 64 ? (Object) n.longValueExact() : new BigDecimal(n);
            }
        };
    }

    /** A whole number within [min, max], from a JSON number (2.0 counts, 2.5 does not) or a decimal string. */
    private static BigInteger whole(Statement statement, Arg arg, JsonNode given, BigInteger min, BigInteger max)
            throws BadArgument {
        BigInteger n;
        if (given.isIntegralNumber()) {
            n = given.bigIntegerValue();
        } else if (given.isNumber()) {
            try {
                n = given.decimalValue().toBigIntegerExact();
            } catch (ArithmeticException | NumberFormatException e) { // a fraction; NaN or infinity
                throw bad(statement, arg, given);
            }
        } else if (given.isTextual() && given.textValue().trim().matches("-?[0-9]{1,40}")) {
            n = new BigInteger(given.textValue().trim());
        } else {
            throw bad(statement, arg, given);
        }
        if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
            throw bad(statement, arg, given);
        }
        return n;
    }

    private static BadArgument bad(Statement statement, Arg arg, JsonNode given) {
        String shown = given.toString();
        if (shown.length() > MAX_SHOWN_VALUE) {
            shown = shown.substring(0, MAX_SHOWN_VALUE) + "...";
        }
        return new BadArgument("statement '" + statement.name() + "', arg '" + arg.name() + "': " + shown + " is not "
                + expected(arg.type()));
    }

    private static String expected(ArgType type) {
        return switch (type) {
            case STRING -> "a string";
            case INT -> "an int (a whole number from " + INT_MIN + " to " + INT_MAX + ")";
            case UNSIGNED -> "an unsigned (a whole number from 0 to " + UNSIGNED_MAX + ")";
            case LONG -> "a long (a whole number from " + LONG_MIN + " to " + LONG_MAX + ")";
            case ULONG64 -> "a ulong64 (a whole number from 0 to " + ULONG64_MAX + ")";
            case BOOL -> "a bool (true or false)";
        };
    }

    private static JsonNode json(Object value) {
        return switch (value) {
            case null -> NullNode.instance;
            case String s -> JSON.textNode(s);
            case Integer i -> JSON.numberNode(i);
            case Long l -> JSON.numberNode(l);
            case BigDecimal d -> JSON.numberNode(d.toBigIntegerExact());
            case Boolean b -> JSON.booleanNode(b);
            default -> throw new IllegalStateException("unexpected bound value " + value.getClass());
        };
    }
}
