package io.scriptforge.operator.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.crd.RunnerPoolStatus;
import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptStatus;
import io.scriptforge.operator.Fixtures;
import io.scriptforge.operator.status.Conditions;
import io.scriptforge.syntax.LocatedError;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How a Script's Ready condition is decided, case by case. */
class ScriptReadinessTest {
    private static final ScriptReadiness READINESS = new ScriptReadiness(new Conditions(Clock.systemUTC()));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "a valid script on a ready pool is Ready",
                        script("function main() { return 1; }", ""),
                        facts(null, Set.of(), Set.of(), readyPool()),
                        true,
                        "Ready",
                        "served by RunnerPool 'default' at http://scriptforge-runner-default.team-a.svc/v1/invoke/"),
                Arguments.of(
                        "a syntax error says line and column",
                        script("function main( {", ""),
                        facts(
                                LocatedError.syntax("team-a/s.js", 1, 16, "Expected ) but found {"),
                                Set.of(),
                                Set.of(),
                                readyPool()),
                        false,
                        "SyntaxError",
                        "spec.code: syntax error at team-a/s.js:1:16: Expected ) but found {"),
                Arguments.of(
                        "a required Script that does not exist",
                        script("const l = require('dnc-list');", ""),
                        facts(null, Set.of(), Set.of(), readyPool()),
                        false,
                        "ModuleNotFound",
                        "spec.code requires 'dnc-list', which is not a Script served by RunnerPool 'default' in namespace team-a"),
                Arguments.of(
                        "a required Script that exists",
                        script("const l = require('dnc-list');", ""),
                        facts(null, Set.of("dnc-list"), Set.of(), readyPool()),
                        true,
                        "Ready",
                        "served by"),
                Arguments.of(
                        "a relative require names the Script as the runner resolves it",
                        script("const h = require('./helper.js');", ""),
                        facts(null, Set.of("helper"), Set.of(), readyPool()),
                        true,
                        "Ready",
                        "served by"),
                Arguments.of(
                        "an allowed npm module bundled by runners, in an app",
                        script("const moment = require('moment');", "type: app\n  modules: [moment]"),
                        facts(null, Set.of(), Set.of(), readyPool()),
                        true,
                        "Ready",
                        "served by"),
                Arguments.of(
                        "csv-parse's synchronous API by the seed's path, in a worker",
                        script("const parse = require('csv-parse/lib/sync');", "type: worker"),
                        facts(null, Set.of(), Set.of(), readyPool()),
                        true,
                        "Ready",
                        "served by"),
                Arguments.of(
                        "an npm module in a Script of type script",
                        script("const moment = require('moment');", ""),
                        facts(null, Set.of(), Set.of(), readyPool()),
                        false,
                        "ModuleNotAvailable",
                        "spec.code requires 'moment': npm modules are for types app and worker, and this Script is type 'script'"),
                Arguments.of(
                        "an allowed npm module the sandbox cannot run says why",
                        script("const DecompressZip = require('decompress-zip');", "type: app"),
                        facts(null, Set.of(), Set.of(), readyPool()),
                        false,
                        "ModuleNotAvailable",
                        "spec.code requires 'decompress-zip': an allowed npm module that runners cannot offer, as it reads"
                                + " the archive from, and extracts it to, a file system"),
                Arguments.of(
                        "a name that is neither a Script of the pool nor allowed",
                        script("const fs = require('fs');", "type: app"),
                        facts(null, Set.of(), Set.of(), readyPool()),
                        false,
                        "ModuleNotFound",
                        "spec.code requires 'fs', which is not a Script served by RunnerPool 'default'"),
                Arguments.of(
                        "a cron expression with six fields is an invalid schedule, located",
                        script("function main() {}", "schedule:\n    cron: '0 0 3 * * *'"),
                        facts(null, Set.of(), Set.of(), readyPool()),
                        false,
                        "InvalidSchedule",
                        "spec.schedule.cron: '0 0 3 * * *' has 6 fields; give 5"),
                Arguments.of(
                        "the seed's form with an hour out of range",
                        script("function main() {}", "schedule:\n    minutes: [0]\n    hours: [24]"),
                        facts(null, Set.of(), Set.of(), readyPool()),
                        false,
                        "InvalidSchedule",
                        "spec.schedule.hours[0]: 24 is outside 0-23"),
                Arguments.of(
                        "a valid schedule with a time zone is Ready",
                        script(
                                "function main() {}",
                                "schedule:\n    cron: '30 2 * * 1-5'\n    timeZone: Europe/London"),
                        facts(null, Set.of(), Set.of(), readyPool()),
                        true,
                        "Ready",
                        "served by"),
                Arguments.of(
                        "an origin with a path is invalid access, named",
                        script("function main() {}", "cors: {allowOrigins: ['https://crm.example/app']}"),
                        facts(null, Set.of(), Set.of(), readyPool()),
                        false,
                        "InvalidAccess",
                        "spec.cors.allowOrigins: each is an origin, scheme://host[:port] without a path (e.g. https://crm.example.com), not 'https://crm.example/app'"),
                Arguments.of(
                        "a Script guarded by a Secret's bearer token, and a named origin, is Ready",
                        script(
                                "function main() {}",
                                "auth: {bearer: {name: hook-token, key: token}}\n  cors: {allowOrigins: ['https://crm.example']}"),
                        facts(null, Set.of(), Set.of(), readyPool()),
                        true,
                        "Ready",
                        "served by"),
                Arguments.of(
                        "a missing App",
                        script("function main() {}", "app: notes"),
                        facts(null, Set.of(), Set.of(), readyPool()),
                        false,
                        "AppNotFound",
                        "spec.app: no App named 'notes' in namespace team-a"),
                Arguments.of(
                        "a missing pool says how to get one",
                        script("function main() {}", "pool: fast"),
                        facts(null, Set.of(), Set.of(), null),
                        false,
                        "PoolNotFound",
                        "no RunnerPool named 'fast' in namespace team-a: create it"),
                Arguments.of(
                        "a pool with no ready runner",
                        script("function main() {}", ""),
                        facts(null, Set.of(), Set.of(), new RunnerPool()),
                        false,
                        "PoolNotReady",
                        "RunnerPool 'default' has no ready runner yet"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readyIsDecidedFromTheSpecAndTheFacts(
            String name, Script script, ScriptFacts facts, boolean ready, String reason, String messageStart) {
        ScriptStatus status = READINESS.status(script, facts);
        Condition condition = status.condition("Ready").orElseThrow();
        assertThat(condition.getStatus()).isEqualTo(ready ? "True" : "False");
        assertThat(condition.getReason()).isEqualTo(reason);
        assertThat(condition.getMessage()).startsWith(messageStart);
        assertThat(condition.getObservedGeneration()).isEqualTo(3L);
        assertThat(status.getObservedGeneration()).isEqualTo(3L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void uuidAndUrlAreReportedWhateverTheVerdict(
            String name, Script script, ScriptFacts facts, boolean ready, String reason, String messageStart) {
        ScriptStatus status = READINESS.status(script, facts);
        assertThat(status.getUuid()).isEqualTo(script.uuid());
        assertThat(status.getUrl()).endsWith("/v1/invoke/" + script.uuid()).contains("." + "team-a.svc");
    }

    private static Script script(String code, String moreSpec) {
        return Fixtures.parse(Script.class, """
                apiVersion: scriptforge.io/v1alpha1
                kind: Script
                metadata: {name: s, namespace: team-a, generation: 3}
                spec:
                  code: %s
                  %s
                """.formatted(
                com.fasterxml.jackson.databind.node.TextNode.valueOf(code).toString(), moreSpec));
    }

    private static ScriptFacts facts(LocatedError error, Set<String> scripts, Set<String> apps, RunnerPool pool) {
        return new ScriptFacts(
                Optional.ofNullable(error), scripts::contains, apps::contains, Optional.ofNullable(pool));
    }

    private static RunnerPool readyPool() {
        RunnerPool pool = new RunnerPool();
        RunnerPoolStatus status = new RunnerPoolStatus();
        new Conditions(Clock.systemUTC()).of(null, status, 1).markReady("RunnersReady", "1 of 1");
        pool.setStatus(status);
        return pool;
    }
}
