package io.scriptforge.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.scriptforge.crd.ResourceStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds conditions the Kubernetes way: a condition's lastTransitionTime changes only when its status flips,
 * so an unchanged status compares equal and is never written again.
 */
public final class Conditions {
    private final Clock clock;

    public Conditions(Clock clock) {
        this.clock = clock;
    }

    /** Sets {@code type} on {@code next}, keeping the transition time of the same condition in {@code previous}. */
    public void set(
            ResourceStatus previous,
            ResourceStatus next,
            long generation,
            String type,
            boolean status,
            String reason,
            String message) {
        String statusText = status ? "True" : "False";
        String since = previous == null
                ? null
                : previous.condition(type)
                        .filter(c -> statusText.equals(c.getStatus()))
                        .map(Condition::getLastTransitionTime)
                        .orElse(null);
        Condition condition = new ConditionBuilder()
                .withType(type)
                .withStatus(statusText)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(
                        since != null
                                ? since
                                : Instant.now(clock)
                                        .truncatedTo(ChronoUnit.SECONDS)
                                        .toString())
                .build();
        List<Condition> conditions = new ArrayList<>(next.getConditions() == null ? List.of() : next.getConditions());
        conditions.removeIf(c -> type.equals(c.getType()));
        conditions.add(condition);
        next.setConditions(conditions);
        next.setObservedGeneration(generation);
    }
}
