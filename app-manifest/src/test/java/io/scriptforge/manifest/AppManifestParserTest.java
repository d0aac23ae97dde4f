package io.scriptforge.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.scriptforge.crd.App;
import org.junit.jupiter.api.Test;

/**
 * An App manifest checked as config.json would be read, alike by the operator (which validates an App) and the runner
 * (which serves it); each problem says where it is.
 */
class AppManifestParserTest {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private static final String NOTES = """
            apiVersion: scriptforge.io/v1alpha1
            kind: App
            metadata: {name: notes, namespace: default, generation: 1}
            spec:
              domain: example.com
              passwordSecretRef: {name: notes-secret, key: password}
              database:
                init:
                  - {cmd: table, name: notes, init: [
                      {cmd: column, name: id, type: BIGSERIAL PRIMARY KEY},
                      {cmd: column, name: text, type: VARCHAR(200)}]}
                  - {cmd: statement, name: add, query: "INSERT INTO notes (text, sip) VALUES (%s, %s)",
                     args: [{name: text, type: string}, {name: "@sip", type: string}], monitor: notes}
              config: {init: [{cmd: item, name: level, type: INT, default: 5, min: 1, max: 10},
                              {cmd: mode, name: owner.admin, read: true, write: true}]}
              dbfiles: {init: [{cmd: start, name: myfiles, folder: "BIGINT"}]}
              javascript: {eval: ["lib/*", "service.js"]}
              files:
                lib/util.js: "exports.x = 1;"
                service.js: "new JsonApi('notes');"
            """;

    @Test
    void theIssuesExampleManifestIsValid() {
        assertThat(AppManifestParser.problems(app(NOTES).getSpec(), false)).isEmpty();
    }

    @Test
    void placeholdersAndArgsMustMatchInNumber() {
        assertThat(problems(NOTES.replace("VALUES (%s, %s)", "VALUES (%s, %s, %i)")))
                .containsExactly(
                        "spec.database.init[1]: the query has 3 placeholder(s) but args declares 2; each %s %u %i %llu %lli %b binds the next arg in order");
    }

    @Test
    void anUnknownArgTypeIsNamed() {
        assertThat(problems(NOTES.replace("{name: text, type: string}", "{name: text, type: varchar}")))
                .containsExactly(
                        "spec.database.init[1].args[0].type: 'varchar' is not one of [string, int, unsigned, long, ulong64, bool]");
    }

    @Test
    void anEvalEntryMustMatchAFile() {
        assertThat(problems(NOTES.replace("\"service.js\"]", "\"main.js\"]")))
                .containsExactly("spec.javascript.eval[1]: 'main.js' matches no file of the app");
    }

    @Test
    void aChoiceItemNeedsOptionsAndUnknownCommandsAreRefused() {
        assertThat(problems(NOTES.replace("type: INT, default: 5", "type: CHOICE, default: 5")
                        .replace("cmd: mode", "cmd: role")))
                .containsExactly(
                        "spec.config.init[0].options: a CHOICE item needs its options",
                        "spec.config.init[1].cmd: 'role' is not a config command (use item or mode)");
    }

    @Test
    void argsAsAnObjectOfSeveralAreRefusedThroughTheApiServerWhichSortsKeys() {
        assertThat(problems(NOTES.replace(
                        "[{name: text, type: string}, {name: \"@sip\", type: string}]",
                        "{text: {type: string}, \"@sip\": {type: string}}")))
                .containsExactly(
                        "spec.database.init[1].args: with more than one arg, give args as a list [{name: ..., type: ...}, ...]:"
                                + " Kubernetes does not keep the order of an object's keys, and args bind in order");
    }

    @Test
    void tablesMayNotTakeThePlatformsNames() {
        assertThat(problems(NOTES.replace("{cmd: table, name: notes", "{cmd: table, name: sf_notes")))
                .contains(
                        "spec.database.init[0].name: table names starting with sf_ are the platform's own; choose another name");
    }

    private static java.util.List<String> problems(String yaml) {
        return AppManifestParser.problems(app(yaml).getSpec(), false);
    }

    private static App app(String yaml) {
        return YAML.unmarshal(yaml, App.class);
    }
}
