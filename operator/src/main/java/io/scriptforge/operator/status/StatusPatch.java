package io.scriptforge.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A status write on a fresh, minimal object (never the cached one), and none at all when nothing
 * changed. Only the fields the operator sets are compared and written: others (an App's
 * status.runtime, written by the runners) are left to their writers.
 */
public final class StatusPatch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(StatusPatch.class);

    private StatusPatch() {}

    public static <S, R extends CustomResource<?, S>> UpdateControl<R> of(R current, S desired, Supplier<R> empty) {
        if (Objects.equals(ownFields(json(current.getStatus()), json(desired)), json(desired))) {
            LOG.debugf(
                    "%s %s/%s: status unchanged, not written",
                    current.getKind(),
                    current.getMetadata().getNamespace(),
                    current.getMetadata().getName());
            return UpdateControl.noUpdate();
        }
        LOG.debugf(
                "%s %s/%s: status changed, patching",
                current.getKind(),
                current.getMetadata().getNamespace(),
                current.getMetadata().getName());
        R patch = empty.get();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(current.getMetadata().getName())
                .withNamespace(current.getMetadata().getNamespace())
                .build());
        patch.setStatus(desired);
        return UpdateControl.patchStatus(patch);
    }

    private static JsonNode json(Object status) {
        return status == null ? null : JSON.valueToTree(status);
    }

    /** {@code current} restricted to the top-level fields {@code desired} has. */
    private static JsonNode ownFields(JsonNode current, JsonNode desired) {
        if (current == null || desired == null || !current.isObject()) {
            return current;
        }
        com.fasterxml.jackson.databind.node.ObjectNode own = JSON.createObjectNode();
        desired.fieldNames().forEachRemaining(field -> {
            if (current.has(field)) {
                own.set(field, current.get(field));
            }
        });
        return own;
    }
}
