package io.scriptforge.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.scriptforge.crd.App;
import io.scriptforge.crd.AppRuntimeStatus;
import io.scriptforge.crd.AppStatus;
import io.scriptforge.crd.ResourceStatus;
import io.scriptforge.operator.Fixtures;
import org.junit.jupiter.api.Test;

/** An App is Ready when its manifest is valid and the runners of its pool report serving its current generation. */
class AppReadinessTest {
    private final AppReconciler reconciler = new AppReconciler();

    @Test
    void withoutAReportItWaitsForTheRunnersOfItsPool() {
        Condition ready = ready(app(null));
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("RuntimePending");
        assertThat(ready.getMessage()).contains("pool default").contains("generation 3");
    }

    @Test
    void aReportOfTheCurrentGenerationServedMakesItReady() {
        Condition ready = ready(
                app(new AppRuntimeStatus(true, "served at /apps/default/notes/ (schema app7_default_notes)", 2, 3L)));
        assertThat(ready.getStatus()).isEqualTo("True");
        assertThat(ready.getReason()).isEqualTo("Served");
    }

    @Test
    void aFailureReportGivesTheRunnersReason() {
        Condition ready = ready(app(new AppRuntimeStatus(
                false, "service JS failed at service.js:2:1: ReferenceError: x is not defined", null, 3L)));
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("RuntimeFailed");
        assertThat(ready.getMessage()).contains("service.js:2:1");
    }

    @Test
    void aReportOfAnOlderGenerationDoesNotCount() {
        Condition ready = ready(app(new AppRuntimeStatus(true, "served", 1, 2L)));
        assertThat(ready.getReason()).isEqualTo("RuntimePending");
    }

    @Test
    void theOperatorNeverWritesTheRunnersReport() {
        App app = app(new AppRuntimeStatus(true, "served", 1, 3L));
        assertThat(reconciler.status(app).getRuntime()).isNull();
    }

    private Condition ready(App app) {
        AppStatus status = reconciler.status(app);
        return status.condition(ResourceStatus.READY).orElseThrow();
    }

    private static App app(AppRuntimeStatus runtime) {
        App app = Fixtures.parse(App.class, """
                apiVersion: scriptforge.io/v1alpha1
                kind: App
                metadata: {name: notes, namespace: default, generation: 3}
                spec:
                  domain: example.com
                  files: {service.js: "log('hi');"}
                  javascript: {eval: [service.js]}
                """);
        if (runtime != null) {
            AppStatus status = new AppStatus();
            status.setRuntime(runtime);
            app.setStatus(status);
        }
        return app;
    }
}
