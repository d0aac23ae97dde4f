package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed's npm modules that need no network: each one does something real in an app Script. */
@QuarkusTest
class NpmModulesComponentTest extends RunnerTestBase {
    private String run(String name, String type, String code) {
        String uuid = runner.deploy(name, type, code);
        HttpResponse<String> response = runner.postJson(uuid, "{}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private String errorOf(String name, String type, String code) {
        HttpResponse<String> response = runner.postJson(runner.deploy(name, type, code), "{}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
        return RunnerClient.json(response).path("error").path("message").asText();
    }

    @Test
    void momentFormatsAndComputesDates() {
        assertThat(run("npm-moment", "app", """
                const moment = require('moment');
                async function main() {
                  const d = moment.utc('2024-02-28T10:00:00Z').add(1, 'day');
                  return [d.format('dddd, MMMM Do YYYY'), d.isLeapYear(), moment.duration(90, 'minutes').humanize()].join('|');
                }""")).isEqualTo("Thursday, February 29th 2024|true|2 hours");
    }

    @Test
    void csvParseSyncParsesACsvByEitherRequireName() {
        String body = run("npm-csv-parse", "app", """
                const { parse } = require('csv-parse/sync');
                const legacy = require('csv-parse/lib/sync');
                async function main() {
                  const rows = parse('name,minutes\\nAda,12\\n"Lovelace, A",30\\n', { columns: true, cast: true });
                  return { rows, legacy: typeof (legacy.parse || legacy) };
                }""");
        JsonNode answer = RunnerClient.parse(body);
        assertThat(answer.path("rows").toString())
                .isEqualTo("[{\"name\":\"Ada\",\"minutes\":12},{\"name\":\"Lovelace, A\",\"minutes\":30}]");
        assertThat(answer.path("legacy").asText()).isEqualTo("function");
    }

    @Test
    void fastCsvParsesAndWritesCsv() {
        JsonNode answer = RunnerClient.parse(run("npm-fast-csv", "app", """
                const csv = require('fast-csv');
                async function main() {
                  const rows = await new Promise((resolve, reject) => {
                    const out = [];
                    csv.parseString('a,b\\n1,2\\n3,4\\n', { headers: true })
                      .on('error', reject).on('data', (row) => out.push(row)).on('end', () => resolve(out));
                  });
                  const written = await csv.writeToString([{ x: 1, y: 'q"uote' }, { x: 2, y: 'plain' }], { headers: true });
                  return { rows, written };
                }"""));
        assertThat(answer.path("rows").toString()).isEqualTo("[{\"a\":\"1\",\"b\":\"2\"},{\"a\":\"3\",\"b\":\"4\"}]");
        assertThat(answer.path("written").asText()).isEqualTo("x,y\n1,\"q\"\"uote\"\n2,plain");
    }

    @Test
    void fastTomlParsesToml() {
        assertThat(run("npm-fast-toml", "app", """
                const TOML = require('fast-toml');
                async function main() {
                  const doc = TOML.parse('title = "sf"\\n[server]\\nport = 8080\\ntags = ["a", "b"]\\n');
                  return [doc.title, doc.server.port, doc.server.tags.join('+')].join(' ');
                }""")).isEqualTo("sf 8080 a+b");
    }

    @Test
    void cardValidatorValidatesCardNumbers() {
        assertThat(run("npm-card-validator", "app", """
                const valid = require('card-validator');
                async function main() {
                  const visa = valid.number('4111 1111 1111 1111');
                  return [visa.isValid, visa.card.type, valid.number('4111 1111 1111 1112').isValid, valid.expirationDate('12/2040').isValid, valid.cvv('123').isValid].join(',');
                }""")).isEqualTo("true,visa,false,true,true");
    }

    @Test
    void dataForgeBuildsADataFrameAndAggregates() {
        assertThat(run("npm-data-forge", "app", """
                const dataForge = require('data-forge');
                async function main() {
                  const df = new dataForge.DataFrame([{ team: 'a', score: 3 }, { team: 'b', score: 5 }, { team: 'a', score: 4 }]);
                  const sums = df.groupBy((r) => r.team).select((g) => ({ team: g.first().team, total: g.deflate((r) => r.score).sum() })).inflate();
                  return sums.toArray();
                }"""))
                .isEqualTo("[{\"team\":\"a\",\"total\":7},{\"team\":\"b\",\"total\":5}]");
    }

    @Test
    void toughCookieJarStoresAndReturnsACookie() {
        assertThat(run("npm-tough-cookie", "app", """
                const { CookieJar } = require('tough-cookie');
                async function main() {
                  const jar = new CookieJar();
                  await jar.setCookie('session=abc123; Path=/; HttpOnly', 'https://example.com/login');
                  await jar.setCookie('other=x; Domain=other.org', 'https://other.org/');
                  return await jar.getCookieString('https://example.com/account');
                }""")).isEqualTo("session=abc123");
    }

    @Test
    void rssParserParsesAFeedString() {
        JsonNode feed = RunnerClient.parse(run("npm-rss-string", "app", """
                const Parser = require('rss-parser');
                async function main() {
                  const feed = await new Parser().parseString(`<?xml version="1.0"?>
                    <rss version="2.0"><channel><title>SF news</title><link>https://example.com</link>
                    <item><title>First</title><link>https://example.com/1</link><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate></item>
                    <item><title>Second</title><link>https://example.com/2</link></item></channel></rss>`);
                  return { title: feed.title, items: feed.items.map((i) => i.title), date: feed.items[0].isoDate };
                }"""));
        assertThat(feed.path("title").asText()).isEqualTo("SF news");
        assertThat(feed.path("items").toString()).isEqualTo("[\"First\",\"Second\"]");
        assertThat(feed.path("date").asText()).isEqualTo("2024-01-02T10:00:00.000Z");
    }

    @Test
    void aWorkerKeepsItsModulesBetweenInvocations() {
        String uuid = runner.deploy("npm-worker", "worker", """
                const moment = require('moment');
                async function main() { moment.counter = (moment.counter || 0) + 1; return moment.counter; }""");
        assertThat(runner.postJson(uuid, "{}").body()).isEqualTo("1");
        assertThat(runner.postJson(uuid, "{}").body()).isEqualTo("2");
    }

    @Test
    void esModuleScriptsImportTheDefaultExportOfABundledModule() {
        assertThat(run("npm-esm-import", "app", """
                import moment from 'moment';
                import csv from 'csv-parse/sync';
                export async function main() {
                  return moment.utc('2024-01-02T03:04:05Z').format('YYYY/MM/DD HH:mm') + ' ' + csv.parse('a,b\\n1,2\\n').length;
                }""")).isEqualTo("2024/01/02 03:04 2");
    }

    @Test
    void typeScriptCannotUseLibraryModulesNorFetch() {
        assertThat(errorOf("npm-type-script", "script", "function main() { return require('moment')().year(); }"))
                .contains("type 'script' cannot use library modules; use type 'app'");
        assertThat(run("npm-type-script-fetch", "script", "function main() { return typeof fetch; }"))
                .isEqualTo("undefined");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fs", "left-pad", "child_process", "http", "node:fs", "buffer"})
    void anythingOutsideTheWhitelistIsNotAllowed(String name) {
        assertThat(errorOf(
                        "npm-not-allowed-" + name.replace(':', '-').replace('_', '-'),
                        "app",
                        "async function main() { return require('" + name + "'); }"))
                .contains("module not allowed: '" + name + "'");
    }

    @Test
    void decompressZipCannotRunWithoutAFileSystemAndSaysSo() {
        assertThat(errorOf(
                        "npm-unavailable-decompress-zip",
                        "app",
                        "async function main() { return require('decompress-zip'); }"))
                .contains(
                        "module not available: 'decompress-zip' is whitelisted, but cannot run in the ScriptForge sandbox:"
                                + " it reads the archive from, and extracts it to, a file system; Scripts have none");
    }
}
