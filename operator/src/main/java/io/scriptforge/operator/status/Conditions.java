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

    /**
     * The conditions of a status being built ({@code next}) for a resource at {@code generation}, whose last
     * written status was {@code previous} (null for none): each mark keeps the transition time of its
     * condition in {@code previous} while the condition's status stays.
     */
    public Marks of(ResourceStatus previous, ResourceStatus next, long generation) {
        next.setObservedGeneration(generation);
        return new Marks(previous, next, generation);
    }

    /** Named transitions of one status's conditions (as Knative's condition sets): markReady, markNotReady, ... */
    public final class Marks {
        private final ResourceStatus previous;
        private final ResourceStatus next;
        private final long generation;

        private Marks(ResourceStatus previous, ResourceStatus next, long generation) {
            this.previous = previous;
            this.next = next;
            this.generation = generation;
        }

        /** {@code Ready} is True: the resource does its job. */
        public Marks markReady(String reason, String message) {
            return markTrue(ResourceStatus.READY, reason, message);
        }

        /** {@code Ready} is False, for {@code reason} (a CamelCase word a client can test); the message says what to do. */
        public Marks markNotReady(String reason, String message) {
            return markFalse(ResourceStatus.READY, reason, message);
        }

        public Marks markTrue(String type, String reason, String message) {
            return mark(type, true, reason, message);
        }

        public Marks markFalse(String type, String reason, String message) {
            return mark(type, false, reason, message);
        }

        private Marks mark(String type, boolean status, String reason, String message) {
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
            List<Condition> conditions =
                    new ArrayList<>(next.getConditions() == null ? List.of() : next.getConditions());
            conditions.removeIf(c -> type.equals(c.getType()));
            conditions.add(condition);
            next.setConditions(conditions);
            return this;
        }
    }
}
