package io.scriptforge.operator.app;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.scriptforge.crd.App;
import io.scriptforge.crd.AppRuntimeStatus;
import io.scriptforge.crd.AppStatus;
import io.scriptforge.crd.Names;
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
        Conditions.Marks marks = conditions.of(app.getStatus(), status, generation);
        if (!problems.isEmpty()) {
            marks.markFalse(AppStatus.VALID, "ManifestInvalid", String.join("; ", problems))
                    .markNotReady("ManifestInvalid", "fix the manifest: " + String.join("; ", problems));
            return status;
        }
        marks.markTrue(AppStatus.VALID, "ManifestValid", "the manifest passed every check");
        AppRuntimeStatus runtime =
                app.getStatus() == null ? null : app.getStatus().getRuntime();
        String pool =
                Names.poolOrDefault(app.getSpec() == null ? null : app.getSpec().getPool());
        if (runtime == null
                || runtime.getObservedGeneration() == null
                || runtime.getObservedGeneration() != generation) {
            marks.markNotReady(
                    RUNTIME_PENDING, "waiting for the runners of pool " + pool + " to start generation " + generation);
        } else if (Boolean.TRUE.equals(runtime.getServed())) {
            marks.markReady(SERVED, runtime.getMessage());
        } else {
            marks.markNotReady(RUNTIME_FAILED, runtime.getMessage());
        }
        return status;
    }
}
