package io.scriptforge.operator.script;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequiredModulesTest {
    @Test
    void findsRequireImportAndReExportNames() {
        String code = """
                const a = require('alpha');
                const b = require("beta");
                import gamma from 'gamma';
                import { d1,
                         d2 } from "delta";
                import 'epsilon';
                export { z } from 'zeta';
                function main() { return "not-a-module"; }
                """;
        assertThat(RequiredModules.of(code))
                .containsExactlyInAnyOrder("alpha", "beta", "gamma", "delta", "epsilon", "zeta");
    }

    @Test
    void relativeSpecifiersNameTheScriptTheRunnerLoads() {
        assertThat(
                        RequiredModules.of(
                                "const a = require('./helper.js');\nimport b from './util.mjs';\nconst c = require('./plain');"))
                .containsExactlyInAnyOrder("helper", "util", "plain");
    }

    @Test
    void stringsThatAreNotModuleNamesAreIgnored() {
        assertThat(RequiredModules.of(
                        "export function main() { return 'from x'; }\nconst s = \"require('no')\".length;"))
                .doesNotContain("from x")
                .hasSizeLessThanOrEqualTo(1);
    }
}
