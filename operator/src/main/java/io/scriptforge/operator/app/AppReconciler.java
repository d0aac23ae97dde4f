package io.scriptforge.operator.app;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.scriptforge.crd.App;
import io.scriptforge.crd.AppRuntimeStatus;
import io.scriptforge.crd.AppStatus;
import io.scriptforge.crd.Names;
import io.scriptforge.crd.ResourceStatus;
import io.scriptforge.manifest.AppManifestParser;
import io.scriptforge.operator.status.Conditions;
import io.scriptforge.operator.status.StatusPatch;
import java.time.Clock;
import java.util.List;

/**
 * App: the operator checks the manifest (Valid); the runners of its pool start it and report in
 * status.runtime whether they serve it, or why not. Ready joins the two. Status writes by the runners
 * must reach this reconciler, hence no generation filter.
 */
@ControllerConfiguration(name = "app", generationAwareEventProcessing = false)
public class AppReconciler implements Reconciler<App> {
    static final String RUNTIME_PENDING = "RuntimePending";
    static final String RUNTIME_FAILED = "RuntimeFailed";
    static final String SERVED = "Served";
    private final Conditions conditions = new Conditions(Clock.systemUTC());

    @Override
    public UpdateControl<App> reconcile(App app, Context<App> context) {
        return StatusPatch.of(app, status(app), App::new);
    }

    AppStatus status(App app) {
        List<String> problems = AppManifestParser.problems(app.getSpec(), false);
        long generation = app.getMetadata().getGeneration() == null
                ? 0
                : app.getMetadata().getGeneration();
        AppStatus status = new AppStatus();
        boolean valid = problems.isEmpty();
        conditions.set(
                app.getStatus(),
                status,
                generation,
                AppStatus.VALID,
                valid,
                valid ? "ManifestValid" : "ManifestInvalid",
                valid ? "the manifest passed every check" : String.join("; ", problems));
        if (!valid) {
            conditions.set(
                    app.getStatus(),
                    status,
                    generation,
                    ResourceStatus.READY,
                    false,
                    "ManifestInvalid",
                    "fix the manifest: " + String.join("; ", problems));
            return status;
        }
        AppRuntimeStatus runtime =
                app.getStatus() == null ? null : app.getStatus().getRuntime();
        String pool =
                Names.poolOrDefault(app.getSpec() == null ? null : app.getSpec().getPool());
        if (runtime == null
                || runtime.getObservedGeneration() == null
                || runtime.getObservedGeneration() != generation) {
            conditions.set(
                    app.getStatus(),
                    status,
                    generation,
                    ResourceStatus.READY,
                    false,
                    RUNTIME_PENDING,
                    "waiting for the runners of pool " + pool + " to start generation " + generation);
        } else if (Boolean.TRUE.equals(runtime.getServed())) {
            conditions.set(
                    app.getStatus(), status, generation, ResourceStatus.READY, true, SERVED, runtime.getMessage());
        } else {
            conditions.set(
                    app.getStatus(),
                    status,
                    generation,
                    ResourceStatus.READY,
                    false,
                    RUNTIME_FAILED,
                    runtime.getMessage());
        }
        return status;
    }
}
