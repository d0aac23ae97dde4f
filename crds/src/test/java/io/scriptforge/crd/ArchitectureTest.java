package io.scriptforge.crd;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.fabric8.kubernetes.client.CustomResource;

/** The resource model is data: the operator, the runner and users' tools share it, so it talks to nothing. */
@AnalyzeClasses(packages = "io.scriptforge.crd", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule theModelUsesNoClientAndNoRunnerOrOperatorCode = noClasses()
            .that()
            .resideInAPackage("io.scriptforge.crd..")
            .should()
            .dependOnClassesThat(resideInAPackage("io.fabric8.kubernetes.client..")
                    .and(not(equivalentTo(CustomResource.class)))
                    .or(resideInAnyPackage(
                            "io.vertx..",
                            "io.quarkus..",
                            "io.javaoperatorsdk..",
                            "io.scriptforge.runner..",
                            "io.scriptforge.operator..",
                            "io.scriptforge.manifest..",
                            "java.net..",
                            "java.sql..")))
            .because(
                    "CustomResource is the one client class a resource must extend; everything else that talks belongs elsewhere");
}
