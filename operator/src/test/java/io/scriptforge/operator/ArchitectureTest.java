package io.scriptforge.operator;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.implement;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;

/** The operator's shape: one reconciler per kind in the kind's package, desired objects built by pure functions. */
@AnalyzeClasses(packages = "io.scriptforge.operator", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("io.scriptforge.operator.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule desiredObjectsAreBuiltWithoutAClient = noClasses()
            .that()
            .resideInAPackage("..operator.pool.resources..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.fabric8.kubernetes.client..", "io.javaoperatorsdk..")
            .because("a builder is a pure function of the RunnerPool and the settings: table-tested, no cluster");

    @ArchTest
    static final ArchRule reconcilersAreNamedForTheirKind =
            classes().that().implement(Reconciler.class).should().haveSimpleNameEndingWith("Reconciler");

    @ArchTest
    static final ArchRule theReconcilersDoNotCallEachOther = noClasses()
            .that()
            .implement(Reconciler.class)
            .should()
            .dependOnClassesThat(resideInAPackage("io.scriptforge.operator..").and(implement(Reconciler.class)))
            .because("each kind reconciles on its own; they share names and status helpers, never each other");
}
