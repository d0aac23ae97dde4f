package io.scriptforge.runner.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The core serves both products and knows neither; the build keeps it so (it cannot see them), this keeps it tidy. */
@AnalyzeClasses(
        packages = {
            "io.scriptforge.runner.db",
            "io.scriptforge.runner.egress",
            "io.scriptforge.runner.logs",
            "io.scriptforge.runner.tasks"
        },
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("io.scriptforge.runner.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noCdiAndNoHttpServing = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("jakarta.enterprise..", "jakarta.inject..", "io.quarkus..", "io.vertx.ext.web")
            .because("each part is a plain class the application wires; routing is the gateway's");
}
