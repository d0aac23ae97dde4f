package io.scriptforge.operator.script;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.scriptforge.crd.App;
import io.scriptforge.crd.Names;
import io.scriptforge.crd.RunnerPool;
import io.scriptforge.crd.Script;
import io.scriptforge.crd.ScriptStatus;
import io.scriptforge.operator.OperatorConfig;
import io.scriptforge.operator.status.Conditions;
import io.scriptforge.operator.status.StatusPatch;
import io.scriptforge.syntax.LocatedError;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Script: checks what the schema cannot (the code parses, what it requires exists, its App and pool exist)
 * and reports the UUID, the URL and Ready. Runners load Scripts themselves; nothing is created here.
 */
@ControllerConfiguration(name = "script")
public class ScriptReconciler implements Reconciler<Script> {
    private final ScriptReadiness readiness = new ScriptReadiness(new Conditions(Clock.systemUTC()));

    @Inject
    ScriptSyntaxChecker syntax;

    @Inject
    OperatorConfig config;

    @Override
    public List<EventSource<?, Script>> prepareEventSources(EventSourceContext<Script> context) {
        // A pool turning Ready, or an App appearing, re-decides the Scripts that wait for it.
        var pools = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(RunnerPool.class, Script.class)
                        .withSecondaryToPrimaryMapper(pool -> scriptsOf(
                                context,
                                pool.getMetadata().getNamespace(),
                                s -> Names.poolOrDefault(s.getSpec().getPool())
                                        .equals(pool.getMetadata().getName())))
                        .build(),
                context);
        var apps = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(App.class, Script.class)
                        .withSecondaryToPrimaryMapper(app -> scriptsOf(
                                context,
                                app.getMetadata().getNamespace(),
                                s -> app.getMetadata()
                                        .getName()
                                        .equals(s.getSpec().getApp())))
                        .build(),
                context);
        return List.of(pools, apps);
    }

    private static Set<ResourceID> scriptsOf(
            EventSourceContext<Script> context, String namespace, java.util.function.Predicate<Script> which) {
        return context.getPrimaryCache()
                .list(namespace)
                .filter(s -> s.getSpec() != null && which.test(s))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<Script> reconcile(Script script, Context<Script> context) {
        if (script.getSpec() == null || script.getSpec().getCode() == null) {
            return UpdateControl.noUpdate(); // the CRD requires spec.code: only an older CRD lets this through
        }
        String namespace = script.getMetadata().getNamespace();
        String pool = Names.poolOrDefault(script.getSpec().getPool());
        Optional<LocatedError> syntaxError = checkSyntax(script);
        ScriptFacts facts = new ScriptFacts(
                syntaxError,
                name -> context.getPrimaryCache()
                        .get(new ResourceID(name, namespace))
                        .filter(other -> other.getSpec() != null
                                && pool.equals(
                                        Names.poolOrDefault(other.getSpec().getPool())))
                        .isPresent(),
                name -> cached(context, App.class, name, namespace).isPresent(),
                cached(context, RunnerPool.class, pool, namespace));
        ScriptStatus status = readiness.status(script, facts);
        UpdateControl<Script> control = StatusPatch.of(script, status, Script::new);
        // Modules are other Scripts: no event says when one appears, so a waiting Script looks again.
        boolean waitsForModule = !status.isReady()
                && status.condition("Ready")
                        .map(c -> Objects.equals(c.getReason(), ScriptReadiness.MODULE_NOT_FOUND))
                        .orElse(false);
        return waitsForModule ? control.rescheduleAfter(config.recheckInterval()) : control;
    }

    private Optional<LocatedError> checkSyntax(Script script) {
        try {
            syntax.check(
                    script.getSpec().getCode(),
                    script.getMetadata().getNamespace() + "/"
                            + script.getMetadata().getName() + ".js");
            return Optional.empty();
        } catch (LocatedError e) {
            return Optional.of(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> Optional<R> cached(
            Context<Script> context, Class<R> type, String name, String namespace) {
        var source =
                (InformerEventSource<R, Script>) context.eventSourceRetriever().getEventSourceFor(type);
        return source.get(new ResourceID(name, namespace));
    }
}
