package io.scriptforge.runner.invoke;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The Scripts product in its own module: it sees the sandbox and the runner's core, never the Apps (the Maven module
 * cannot reach them), and it serves no HTTP of its own: the gateway of the runner application does.
 */
@AnalyzeClasses(
        packages = {
            "io.scriptforge.runner.invoke",
            "io.scriptforge.runner.registry",
            "io.scriptforge.runner.jobs",
            "io.scriptforge.runner.kv",
            "io.scriptforge.runner.schedule",
            "io.scriptforge.runner.warmup"
        },
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("io.scriptforge.runner.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theScriptsServeNoHttp = noClasses()
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(io.vertx.core.http.HttpServer.class, io.vertx.core.http.HttpServerResponse.class)
            .because("requests reach a Script through the gateway, which answers them; below it the Scripts are plain"
                    + " Java (the warm-up's gate only reads a request's headers and addresses)");
}
