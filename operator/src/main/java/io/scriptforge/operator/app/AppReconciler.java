package io.scriptforge.operator.app;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.scriptforge.crd.App;
import io.scriptforge.crd.manifest.AppManifestParser;
import io.scriptforge.crd.AppStatus;
import io.scriptforge.crd.ResourceStatus;
import io.scriptforge.operator.status.Conditions;
import io.scriptforge.operator.status.StatusPatch;
import java.time.Clock;
import java.util.List;

/**
 * App: the manifest is checked and the verdict reported. Runners do not serve Apps yet (database, AppWebsocket,
 * dbfiles), so Ready stays False with a reason that says so, rather than claiming what is not there.
 */
@ControllerConfiguration(name = "app")
public class AppReconciler implements Reconciler<App> {
    static final String RUNTIME_NOT_AVAILABLE = "RuntimeNotAvailable";
    private final Conditions conditions = new Conditions(Clock.systemUTC());

    @Override
    public UpdateControl<App> reconcile(App app, Context<App> context) {
        return StatusPatch.of(app, status(app), App::new);
    }

    AppStatus status(App app) {
        List<String> problems = AppManifestParser.problems(app.getSpec(), false);
        long generation = app.getMetadata().getGeneration() == null ? 0 : app.getMetadata().getGeneration();
        AppStatus status = new AppStatus();
        boolean valid = problems.isEmpty();
        conditions.set(app.getStatus(), status, generation, AppStatus.VALID, valid,
                valid ? "ManifestValid" : "ManifestInvalid",
                valid ? "the manifest passed every check" : String.join("; ", problems));
        conditions.set(app.getStatus(), status, generation, ResourceStatus.READY, false,
                valid ? RUNTIME_NOT_AVAILABLE : "ManifestInvalid",
                valid ? "the manifest is valid; this version of ScriptForge does not serve Apps yet (database, AppWebsocket, dbfiles)"
                      : "fix the manifest: " + String.join("; ", problems));
        return status;
    }
}
