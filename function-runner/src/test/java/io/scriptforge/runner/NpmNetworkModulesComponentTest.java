package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.scriptforge.runner.npm.LocalFtpServer;
import io.scriptforge.runner.npm.LocalHttpServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The npm modules that talk HTTP, through the runner's host client, against a local server on
 * 127.0.0.1 (allowed by the test profile's scriptforge.egress.allow-cidrs) and refused elsewhere.
 */
@QuarkusTest
class NpmNetworkModulesComponentTest extends RunnerTestBase {
    private static LocalHttpServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new LocalHttpServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private JsonNode run(String name, String code) {
        String uuid = runner.deploy(
                name, "app", code.replace("BASE", server.url("")).replace("PORT", Integer.toString(server.port())));
        HttpResponse<String> response = runner.postJson(uuid, "{}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return RunnerClient.json(response);
    }

    @Test
    void axiosGetsAndPostsToAnAllowedServer() {
        JsonNode answer = run("npm-axios", """
                const axios = require('axios');
                async function main() {
                  const got = await axios.get('BASE/hello?x=1');
                  const posted = await axios.post('BASE/orders', { item: 'sip-trunk', qty: 2 });
                  return { status: got.status, got: got.data, posted: posted.data };
                }""");
        assertThat(answer.path("status").asInt()).isEqualTo(200);
        assertThat(answer.path("got").path("path").asText()).isEqualTo("/hello?x=1");
        assertThat(answer.path("posted").path("method").asText()).isEqualTo("POST");
        assertThat(answer.path("posted").path("contentType").asText()).startsWith("application/json");
        assertThat(answer.path("posted").path("body").asText()).isEqualTo("{\"item\":\"sip-trunk\",\"qty\":2}");
    }

    @Test
    void axiosIsRefusedLoopbackAndMetadataAddressesTheDefaultPolicyDenies() {
        JsonNode answer = run("npm-axios-denied", """
                const axios = require('axios');
                async function attempt(url) {
                  try { await axios.get(url, { timeout: 2000 }); return 'reached'; } catch (e) { return e.code + ': ' + e.message; }
                }
                async function main() {
                  return { loopback: await attempt('http://127.0.0.2:PORT/'), metadata: await attempt('http://169.254.169.254/latest/meta-data/'),
                    mapped: await attempt('http://[::ffff:10.0.0.1]/') };
                }""");
        assertThat(answer.path("loopback").asText())
                .startsWith("EGRESS_DENIED: egress denied: GET http://127.0.0.2:")
                .contains("127.0.0.2 is in 127.0.0.0/8")
                .contains("spec.egress.allowCidrs");
        assertThat(answer.path("metadata").asText()).startsWith("EGRESS_DENIED").contains("169.254.0.0/16");
        assertThat(answer.path("mapped").asText()).startsWith("EGRESS_DENIED").contains("10.0.0.0/8");
        assertThat(server.requests).noneMatch(r -> r.path("path").asText().startsWith("/latest"));
    }

    @Test
    void fetchIsAGlobalOfAppsUnderTheSameEgressPolicy() {
        JsonNode answer = run("npm-fetch", """
                async function main() {
                  const got = await fetch('BASE/items?page=2', { headers: { 'X-Trace': 't1' } });
                  const posted = await fetch('BASE/items', { method: 'POST', body: JSON.stringify({ n: 1 }), headers: { 'Content-Type': 'application/json' } });
                  let refused;
                  try { await fetch('http://169.254.169.254/latest/meta-data/'); } catch (e) { refused = e.cause.code + ': ' + e.message; }
                  return { ok: got.ok, type: got.headers.get('content-type'), got: await got.json(), posted: await posted.json(), refused };
                }""");
        assertThat(answer.path("ok").asBoolean()).isTrue();
        assertThat(answer.path("type").asText()).isEqualTo("application/json");
        assertThat(answer.path("got").path("path").asText()).isEqualTo("/items?page=2");
        assertThat(answer.path("posted").path("body").asText()).isEqualTo("{\"n\":1}");
        assertThat(answer.path("refused").asText())
                .startsWith("EGRESS_DENIED: fetch failed: egress denied: GET http://169.254.169.254/");
    }

    @Test
    void aPendingRequestKeepsTheInvocationAliveAndAWorkerKeepsItsClient() {
        String uuid = runner.deploy("npm-axios-worker", "worker", """
                const axios = require('axios');
                const client = axios.create({ baseURL: 'BASE' });
                let calls = 0;
                async function main() { calls++; const r = await client.get('/count/' + calls); return r.data.path; }""".replace("BASE", server.url("")));
        assertThat(runner.postJson(uuid, "{}").body()).isEqualTo("/count/1");
        assertThat(runner.postJson(uuid, "{}").body()).isEqualTo("/count/2");
    }

    @Test
    void axiosCookiejarSupportKeepsACookieAcrossTwoCalls() {
        JsonNode answer = run("npm-axios-jar", """
                const axios = require('axios');
                const { wrapper } = require('axios-cookiejar-support');
                const { CookieJar } = require('tough-cookie');
                async function main() {
                  const jar = new CookieJar();
                  const client = wrapper(axios.create({ jar }));
                  await client.get('BASE/login');
                  const account = await client.get('BASE/account');
                  return { sent: account.data.cookie, stored: await jar.getCookieString('BASE/') };
                }""");
        assertThat(answer.path("sent").asText()).isEqualTo("sid=s3cr3t");
        assertThat(answer.path("stored").asText()).isEqualTo("sid=s3cr3t");
    }

    @Test
    void rssParserFetchesAndParsesAFeedUrl() {
        JsonNode answer = run("npm-rss-url", """
                const Parser = require('rss-parser');
                async function main() {
                  const feed = await new Parser().parseURL('BASE/files/feed.xml');
                  return { title: feed.title, items: feed.items.map((i) => i.title) };
                }""");
        assertThat(answer.path("title").asText()).isEqualTo("Remote news");
        assertThat(answer.path("items").toString()).isEqualTo("[\"Fetched over HTTP\"]");
    }

    @Test
    void soapCreatesAClientFromAWsdlServedOverHttpAndCallsIt() {
        JsonNode answer = run("npm-soap", """
                const soap = require('soap');
                async function main() {
                  const client = await soap.createClientAsync('BASE/files/calc.wsdl');
                  const [result] = await client.AddAsync({ a: 2, b: 3 });
                  return { sum: result.sum, services: Object.keys(client.describe()) };
                }""");
        assertThat(answer.path("sum").asInt()).isEqualTo(5);
        assertThat(answer.path("services").toString()).isEqualTo("[\"CalcService\"]");
        assertThat(server.requests).anySatisfy(r -> {
            assertThat(r.path("path").asText()).isEqualTo("/soap/calc");
            assertThat(r.path("body").asText()).contains("<a>2</a>").contains("<b>3</b>");
        });
    }

    @Test
    void stripeCallsAFakeApiGivenByHostPortAndProtocol() {
        JsonNode answer = run("npm-stripe", """
                const Stripe = require('stripe');
                async function main() {
                  const stripe = new Stripe('sk_test_123', { host: '127.0.0.1', port: PORT, protocol: 'http', maxNetworkRetries: 0 });
                  return await stripe.customers.create({ email: 'ada@example.com' });
                }""");
        assertThat(answer.path("path").asText()).isEqualTo("/v1/customers");
        assertThat(answer.path("authorization").asText()).isEqualTo("Bearer sk_test_123");
        assertThat(answer.path("body").asText()).isEqualTo("email=ada%40example.com");
    }

    @Test
    void elasticEmailCallsItsApiAtTheGivenBaseUrl() {
        JsonNode answer = run("npm-elasticemail", """
                const ElasticEmail = require('elasticemail-webapiclient').client;
                async function main() {
                  const ee = new ElasticEmail({ apiUri: 'BASE/elasticemail/', apiVersion: 'v2', apiKey: 'key-123' });
                  return (await ee.Account.Load({})).data;
                }""");
        assertThat(answer.path("path").asText()).isEqualTo("/elasticemail/v2/account/load");
        assertThat(answer.path("contentType").asText()).startsWith("multipart/form-data");
        assertThat(answer.path("body").asText()).contains("name=\"apikey\"").contains("key-123");
    }

    @Test
    void ftpListsAndDownloadsOverTheHostTcpClientAndIsRefusedForbiddenAddresses() throws Exception {
        try (LocalFtpServer ftp =
                new LocalFtpServer(java.util.Map.of("readme.txt", "hello over ftp", "rates.csv", "prefix,rate"))) {
            JsonNode answer = run("npm-ftp", """
                    const Ftp = require('ftp');
                    function connect(host) {
                      const c = new Ftp();
                      return new Promise((ok, fail) => { c.on('ready', () => ok(c)); c.on('error', fail); c.connect({ host, port: FTPPORT, user: 'ada', password: 'pw' }); });
                    }
                    async function main() {
                      const c = await connect('127.0.0.1');
                      const list = await new Promise((ok, fail) => c.list((e, l) => e ? fail(e) : ok(l)));
                      const text = await new Promise((ok, fail) => c.get('readme.txt', (e, s) => {
                        if (e) return fail(e);
                        let t = ''; s.on('data', (d) => { t += d.toString(); }); s.on('end', () => ok(t)); s.on('error', fail);
                      }));
                      c.end();
                      let refused;
                      try { await connect('127.0.0.2'); } catch (e) { refused = e.code + ': ' + e.message; }
                      return { names: list.map((f) => f.name).sort(), text, refused };
                    }""".replace("FTPPORT", Integer.toString(ftp.port())));
            assertThat(answer.path("names").toString()).isEqualTo("[\"rates.csv\",\"readme.txt\"]");
            assertThat(answer.path("text").asText()).isEqualTo("hello over ftp");
            assertThat(answer.path("refused").asText())
                    .startsWith("EGRESS_DENIED: egress denied: connect 127.0.0.2:")
                    .contains("127.0.0.0/8");
            assertThat(ftp.commands).contains("USER ada", "PASV", "RETR readme.txt");
        }
    }

    @Test
    void helpScoutRequestsGoThroughTheHostClientToItsFixedApiHost() {
        // helpscout-2.0 has no base URL option: it always asks https://api.helpscout.net for a token.
        // The test profile's allowed hosts leave that name out: the host client refuses it, naming it.
        String uuid = runner.deploy("npm-helpscout", "app", """
                const HelpScout = require('helpscout-2.0');
                async function main() {
                  const hs = new HelpScout({ clientId: 'id', clientSecret: 'secret' });
                  try { await hs.getAccessToken(); return 'authenticated'; } catch (e) { return String(e.message); }
                }""");
        assertThat(runner.postJson(uuid, "{}").body())
                .contains("egress denied: POST https://api.helpscout.net")
                .contains("host 'api.helpscout.net' is not in the pool's allowed hosts");
    }
}
