package io.scriptforge.operator.script;

import io.scriptforge.crd.RunnerPool;
import io.scriptforge.syntax.LocatedError;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the cluster says about the things a Script depends on, gathered before its status is decided.
 * {@code scriptExists} answers for Scripts the same pool serves: a runner only loads its own pool's.
 */
record ScriptFacts(
        Optional<LocatedError> syntaxError,
        Predicate<String> scriptExists,
        Predicate<String> appExists,
        Optional<RunnerPool> pool) {}
