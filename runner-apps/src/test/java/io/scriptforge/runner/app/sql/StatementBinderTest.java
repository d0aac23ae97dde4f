package io.scriptforge.runner.app.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.manifest.AppManifest.Arg;
import io.scriptforge.manifest.AppManifest.ArgType;
import io.scriptforge.manifest.AppManifest.Statement;
import io.scriptforge.runner.app.schema.TestManifests;
import io.scriptforge.runner.app.session.SessionIdentity;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatementBinderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SessionVariables session = new SessionVariables(
            new SessionIdentity("notes", "example.com", "alice", "Alice", "guid-alice", Set.of("owner")));

    private static Statement statement(String type) {
        return statement("SELECT %s", "{\"v\": {\"type\": \"" + type + "\"}}");
    }

    private static Statement statement(String query, String argsJson) {
        return TestManifests.withDatabase("[{\"cmd\": \"statement\", \"name\": \"s\", \"query\": \"" + query
                        + "\", \"args\": " + argsJson + "}]")
                .statements()
                .get("s")
                .getFirst();
    }

    private Object bound(String type, String valueJson) throws Exception {
        return StatementBinder.bind(statement(type), args("{\"v\": " + valueJson + "}"), session)
                .values()
                .getFirst();
    }

    private static ObjectNode args(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void placeholdersBecomeParametersAndArgsBindInDeclaredOrder() throws Exception {
        Statement s = statement(
                "INSERT INTO notes (title, pinned, n) VALUES (%s, %b, %i)",
                "{\"title\": {\"type\": \"string\"}, \"pinned\": {\"type\": \"bool\"}, \"n\": {\"type\": \"int\"}}");
        BoundStatement bound =
                StatementBinder.bind(s, args("{\"n\": 3, \"pinned\": true, \"title\": \"hi\"}"), session);
        assertThat(bound.sql()).isEqualTo("INSERT INTO notes (title, pinned, n) VALUES (?, ?, ?)");
        assertThat(bound.values()).containsExactly("hi", true, 3);
        assertThat(bound.obj()).hasToString("{\"title\":\"hi\",\"pinned\":true,\"n\":3}");
    }

    @Test
    void stringsTakeNumbersAndBooleansAsTheirText() throws Exception {
        assertThat(bound("string", "\"text\"")).isEqualTo("text");
        assertThat(bound("string", "42")).isEqualTo("42");
        assertThat(bound("string", "true")).isEqualTo("true");
        assertThatThrownBy(() -> bound("string", "{\"a\": 1}"))
                .isInstanceOf(BadArgument.class)
                .hasMessage("statement 's', arg 'v': {\"a\":1} is not a string");
    }

    @Test
    void intsAre32BitSigned() throws Exception {
        assertThat(bound("int", "-2147483648")).isEqualTo(Integer.MIN_VALUE);
        assertThat(bound("int", "\"2147483647\"")).isEqualTo(Integer.MAX_VALUE);
        assertThat(bound("int", "7.0")).isEqualTo(7);
        assertThatThrownBy(() -> bound("int", "2147483648"))
                .isInstanceOf(BadArgument.class)
                .hasMessage(
                        "statement 's', arg 'v': 2147483648 is not an int (a whole number from -2147483648 to 2147483647)");
        assertThatThrownBy(() -> bound("int", "1.5")).isInstanceOf(BadArgument.class);
        assertThatThrownBy(() -> bound("int", "\"twelve\"")).isInstanceOf(BadArgument.class);
        assertThatThrownBy(() -> bound("int", "true")).isInstanceOf(BadArgument.class);
    }

    @Test
    void unsignedsAreFrom0To2Pow32Minus1() throws Exception {
        assertThat(bound("unsigned", "4294967295")).isEqualTo(4294967295L);
        assertThat(bound("unsigned", "0")).isEqualTo(0L);
        assertThatThrownBy(() -> bound("unsigned", "-1"))
                .isInstanceOf(BadArgument.class)
                .hasMessageContaining("-1 is not an unsigned (a whole number from 0 to 4294967295)");
        assertThatThrownBy(() -> bound("unsigned", "4294967296")).isInstanceOf(BadArgument.class);
    }

    @Test
    void longsAre64BitSigned() throws Exception {
        assertThat(bound("long", "-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(bound("long", "\"9223372036854775807\"")).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> bound("long", "9223372036854775808"))
                .isInstanceOf(BadArgument.class)
                .hasMessageContaining("is not a long");
    }

    @Test
    void ulong64sBindAsLongWhenTheyFitElseAsDecimal() throws Exception {
        assertThat(bound("ulong64", "9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(bound("ulong64", "\"18446744073709551615\"")).isEqualTo(new BigDecimal("18446744073709551615"));
        assertThatThrownBy(() -> bound("ulong64", "18446744073709551616"))
                .isInstanceOf(BadArgument.class)
                .hasMessageContaining("is not a ulong64 (a whole number from 0 to 18446744073709551615)");
        assertThatThrownBy(() -> bound("ulong64", "-1")).isInstanceOf(BadArgument.class);
    }

    @Test
    void boolsAreTrueOrFalseAlsoAsText() throws Exception {
        assertThat(bound("bool", "true")).isEqualTo(true);
        assertThat(bound("bool", "\"false\"")).isEqualTo(false);
        assertThatThrownBy(() -> bound("bool", "1"))
                .isInstanceOf(BadArgument.class)
                .hasMessageContaining("1 is not a bool (true or false)");
        assertThatThrownBy(() -> bound("bool", "\"yes\"")).isInstanceOf(BadArgument.class);
    }

    @Test
    void nullOrAMissingArgIsSqlNull() throws Exception {
        assertThat(bound("int", "null")).isNull();
        BoundStatement missing = StatementBinder.bind(statement("int"), null, session);
        assertThat(missing.values()).containsExactly((Object) null);
        assertThat(missing.obj().get("v").isNull()).isTrue();
    }

    @Test
    void serverFilledArgsComeFromTheLoginAndCannotBeForged() throws Exception {
        Statement s = statement(
                "SELECT %s, %s, %s, %s",
                "{\"@domain\": {\"type\": \"string\"}, \"@sip\": {\"type\": \"string\"}, \"@dn\": {\"type\": \"string\"}, \"@guid\": {\"type\": \"string\"}}");
        BoundStatement bound =
                StatementBinder.bind(s, args("{\"@sip\": \"mallory\", \"@domain\": \"evil.com\"}"), session);
        assertThat(bound.values()).containsExactly("example.com", "alice", "Alice", "guid-alice");
        assertThat(bound.obj().get("@sip").asText()).isEqualTo("alice");
    }

    @Test
    void randomGuidIsFreshEachTime() throws Exception {
        Statement s = statement("SELECT %s", "{\"@random-guid\": {\"type\": \"string\"}}");
        Object first = StatementBinder.bind(s, null, session).values().getFirst();
        Object second = StatementBinder.bind(s, null, session).values().getFirst();
        assertThat(first).asString().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void aReturnedValueIsUsedOnceAnEarlierStatementStoredIt() throws Exception {
        Statement s = statement("SELECT * FROM notes WHERE folder = %llu", "{\"@folder\": {\"type\": \"ulong64\"}}");
        assertThatThrownBy(() -> StatementBinder.bind(s, args("{\"@folder\": 5}"), session))
                .isInstanceOf(BadArgument.class)
                .hasMessage("no value for @folder yet: run the statement that returns it first");
        session.put("folder", LongNode.valueOf(12));
        assertThat(StatementBinder.bind(s, args("{\"@folder\": 5}"), session).values())
                .containsExactly(12L);
    }

    @Test
    void aQueryWhosePlaceholdersDoNotMatchItsArgsIsRefused() {
        // The parser refuses such a manifest (it counts as binding does); a Statement made otherwise still cannot run.
        Statement s = new Statement(
                "s",
                null,
                "SELECT * FROM t WHERE name LIKE '%s' AND id = %i",
                List.of(new Arg("a", ArgType.STRING), new Arg("b", ArgType.INT)),
                null,
                null);
        assertThatThrownBy(() -> StatementBinder.bind(s, null, session))
                .isInstanceOf(StatementRefused.class)
                .hasMessage(
                        "statement 's' cannot run: its query has 1 placeholder(s) outside quotes and comments but declares 2 arg(s)");
    }

    @Test
    void valuesListKeepsNullsInPlace() throws Exception {
        Statement s = statement("SELECT %s, %i", "{\"a\": {\"type\": \"string\"}, \"b\": {\"type\": \"int\"}}");
        assertThat(StatementBinder.bind(s, args("{\"b\": 1}"), session).values())
                .isEqualTo(Arrays.asList(null, 1));
    }
}
