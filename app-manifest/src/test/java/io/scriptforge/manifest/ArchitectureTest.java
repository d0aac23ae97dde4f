package io.scriptforge.manifest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The manifest is parsed alike by the operator and the runner: plain Java over the resource model, talking to nothing. */
@AnalyzeClasses(packages = "io.scriptforge.manifest", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule theManifestUsesNoClientNoDatabaseAndNoRunnerOrOperatorCode = noClasses()
            .that()
            .resideInAPackage("io.scriptforge.manifest..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.fabric8.kubernetes.client..",
                    "io.vertx..",
                    "io.quarkus..",
                    "io.javaoperatorsdk..",
                    "io.scriptforge.runner..",
                    "io.scriptforge.operator..",
                    "java.net..",
                    "java.sql..")
            .because("it makes SQL text from a manifest; running it is the runner's business");
}
