package io.scriptforge.runner;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The runner's boundaries, as rules the build checks (docs/architecture.md draws them). The two products,
 * Scripts and Apps, share the sandbox (a module of its own, which knows neither) and the runner's core; neither
 * reaches into the other; only the gateway and the wiring (this package) see everything.
 */
@AnalyzeClasses(packages = "io.scriptforge.runner", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] SCRIPTS = {
        "io.scriptforge.runner.invoke..", "io.scriptforge.runner.registry..", "io.scriptforge.runner.jobs..",
        "io.scriptforge.runner.kv..", "io.scriptforge.runner.schedule..", "io.scriptforge.runner.warmup.."
    };
    private static final String APPS = "io.scriptforge.runner.app..";
    /** What both products may use: the database, the egress policy, logs, background tasks, configuration. */
    private static final String[] CORE = {
        "io.scriptforge.runner.db..",
        "io.scriptforge.runner.egress..",
        "io.scriptforge.runner.logs..",
        "io.scriptforge.runner.tasks..",
        "io.scriptforge.runner.config.."
    };
    /** The entry points: they wire and serve both products, so nothing below may depend on them. */
    private static final String[] ENTRY = {
        "io.scriptforge.runner",
        "io.scriptforge.runner.gateway..",
        "io.scriptforge.runner.control..",
        "io.scriptforge.runner.sources..",
        "io.scriptforge.runner.tools.."
    };

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("io.scriptforge.runner.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule appsNeverUseTheScriptsSide = noClasses()
            .that()
            .resideInAPackage(APPS)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(SCRIPTS)
            .because("an App runs its own service in the sandbox, never through the Scripts' invoker");

    @ArchTest
    static final ArchRule scriptsNeverUseTheAppsSide = noClasses()
            .that()
            .resideInAnyPackage(SCRIPTS)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(APPS);

    @ArchTest
    static final ArchRule theCoreServesBothProductsAndKnowsNeither = noClasses()
            .that()
            .resideInAnyPackage(CORE)
            .should()
            .dependOnClassesThat(resideInAnyPackage(SCRIPTS)
                    .or(resideInAPackage(APPS))
                    .or(resideInAPackage("io.scriptforge.sandbox..")));

    @ArchTest
    static final ArchRule nothingDependsOnTheEntryPoints = noClasses()
            .that(not(resideInAnyPackage(ENTRY)))
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(ENTRY);

    @ArchTest
    static final ArchRule onlyTheEntryPointsSeeHttpServing = noClasses()
            .that(not(resideInAnyPackage(ENTRY)).and(not(resideInAPackage("io.scriptforge.runner.app.ws.."))))
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.vertx.ext.web", "io.vertx.ext.web.handler..", "io.quarkus.vertx.http..")
            .because("routing is the gateway's; the products below it are plain Java behind their own interfaces");

    @ArchTest
    static final ArchRule everyContextIsMadeByTheSandbox = noClasses()
            .that()
            .resideInAPackage("io.scriptforge.runner..")
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(org.graalvm.polyglot.Context.Builder.class, org.graalvm.polyglot.Engine.Builder.class)
            .because(
                    "JsEngine makes every context locked down (SandboxPolicy, no host access); a context built elsewhere might not be");

    @ArchTest
    static final ArchRule hostFunctionsAreDeclaredOnTheBridge = noClasses()
            .that()
            .resideInAPackage("io.scriptforge.runner..")
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(org.graalvm.polyglot.proxy.ProxyExecutable.class)
            .because(
                    "HostBridge checks each call against the host function's declared parameters and throws its failures as the script's Errors; a raw ProxyExecutable does neither");

    @ArchTest
    static final ArchRule theGatewaysBlockingWorkIsBounded = noClasses()
            .that()
            .resideInAPackage("io.scriptforge.runner.gateway..")
            .and()
            .doNotHaveSimpleName("BlockingWork")
            .should()
            .callMethod(Thread.class, "ofVirtual")
            .because("a request's blocking work goes through BlockingWork, which answers 503 past its limit");
}
