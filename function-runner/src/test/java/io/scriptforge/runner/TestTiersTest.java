package io.scriptforge.runner;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The runner's tests tell their tier by name: a {@code *ComponentTest} starts the application on a real port
 * ({@code @QuarkusTest}), a {@code *Test} tests one part in-process, an {@code *IT} starts the packaged runner.
 */
@AnalyzeClasses(packages = "io.scriptforge.runner", importOptions = ImportOption.OnlyIncludeTests.class)
class TestTiersTest {
    @ArchTest
    static final ArchRule aTestOverTheRealPortIsNamedComponentTest =
            classes().that().areAnnotatedWith(QuarkusTest.class).should().haveSimpleNameEndingWith("ComponentTest");

    @ArchTest
    static final ArchRule aComponentTestRunsOverTheRealPort =
            classes().that().haveSimpleNameEndingWith("ComponentTest").should().beAnnotatedWith(QuarkusTest.class);
}
