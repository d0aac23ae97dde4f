package io.scriptforge.sandbox;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The sandbox is the isolation boundary between tenants' code and everything else: reviewable on its own, so it
 * reaches the world only through {@link SandboxHost}, which the runner implements.
 */
@AnalyzeClasses(packages = "io.scriptforge.sandbox", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule theSandboxKnowsNoRunnerOrOperatorCode = noClasses()
            .that()
            .resideInAPackage("io.scriptforge.sandbox..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.scriptforge.runner..", "io.scriptforge.operator..", "io.scriptforge.manifest..");

    @ArchTest
    static final ArchRule itDoesNoIoOfItsOwn = noClasses()
            .that()
            .resideInAPackage("io.scriptforge.sandbox..")
            .should()
            .dependOnClassesThat(resideInAPackage("java.net..")
                    .and(not(equivalentTo(java.net.URI.class)))
                    .or(resideInAnyPackage(
                            "java.sql..", "io.vertx..", "io.quarkus..", "io.fabric8.kubernetes.client..")))
            .because(
                    "network (a module's URI aside), database and cluster access are host services behind SandboxHost, under the runner's policies");

    @ArchTest
    static final ArchRule hostFunctionsAreDeclaredOnTheBridge = noClasses()
            .that()
            .resideInAPackage("io.scriptforge.sandbox..")
            .and()
            .resideOutsideOfPackage("io.scriptforge.sandbox.bridge..")
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(org.graalvm.polyglot.proxy.ProxyExecutable.class)
            .because("HostBridge checks each call against its declaration and encodes every answer the same way");
}
