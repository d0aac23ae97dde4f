package io.scriptforge.runner.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The Apps product in its own module: it sees the sandbox, the runner's core and the manifest, never the Scripts
 * (the Maven module cannot reach them) and never the runner application above it.
 */
@AnalyzeClasses(packages = "io.scriptforge.runner.app", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("io.scriptforge.runner.app.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheWebSocketSideSeesVertx = noClasses()
            .that()
            .resideInAPackage("io.scriptforge.runner.app..")
            .and()
            .resideOutsideOfPackage("io.scriptforge.runner.app.ws..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.vertx.core.http..")
            .because("the gateway serves HTTP; below it an App is plain Java, its WebSocket protocol aside");
}
