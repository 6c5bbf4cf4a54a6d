package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Operator logins as an attacker would try them: guesses are throttled per user and per address (the right password
 * during a lock is refused too), every failure is logged without the password and audited, a session cookie never
 * stands in for wrong Basic credentials nor skips CSRF, and every admin input gets a 400 with a JSON error.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperatorLoginsTest {

    private static final String USER = "ops";
    private static final String PASSWORD = "the-right-password-1";

    @TempDir
    static Path dataDir;
    static BridgeInstance bridge;

    @BeforeAll
    static void start() {
        bridge = BridgeInstance.start(dataDir, Map.of(
                "bridge.admin.username", USER,
                "bridge.admin.password", PASSWORD,
                "bridge.webhook.trusted-proxies", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @Test
    void guessesLockTheUserAndTheRightPasswordWaitsTooThenWorks(CapturedOutput output) {
        String from = "198.51.100.7";
        for (int i = 1; i <= LoginThrottle.FREE_FAILURES; i++) {
            assertThat(basic(USER, "guess-" + i, from).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> locked = basic(USER, PASSWORD, from);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).isPresent();
        assertThat(Samples.tree(locked.body()).path("error").asText()).isEqualTo("too_many_attempts");
        // JSON is UTF-8 (RFC 8259), never the servlet container's ISO-8859-1 default.
        assertThat(locked.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        // Locked by user name: another address is refused as well.
        assertThat(basic(USER, PASSWORD, "203.0.113.9").statusCode()).isEqualTo(429);

        await().atMost(Duration.ofSeconds(10)).until(() -> basic(USER, PASSWORD, from).statusCode() == 200);

        assertThat(output.getAll()).contains("Operator login failed for 'ops' from 198.51.100.7")
                // The lock's second, read a moment after it began, is still a second (it was logged "0 s").
                .contains("(" + LoginThrottle.FREE_FAILURES + " in a row; logins locked for 1 s)")
                .doesNotContain("guess-1").doesNotContain("guess-5").doesNotContain(PASSWORD);
        List<Map<String, Object>> audit = bridge.jdbc().queryForList(
                "SELECT actor, subject FROM admin_audit WHERE action = 'LOGIN_FAILED' AND subject = ?",
                "from " + from);
        assertThat(audit).hasSize(LoginThrottle.FREE_FAILURES)
                .allSatisfy(row -> assertThat(row.get("ACTOR") == null ? row.get("actor") : row.get("ACTOR"))
                        .isEqualTo(USER));
    }

    @Test
    void onlyThePasswordSetLogsIn() {
        String from = "198.51.100.21";
        // A success first, so that no failure counted by another test adds to these.
        assertThat(basic(USER, PASSWORD, from).statusCode()).isEqualTo(200);
        // Near misses, fewer than lock the login: a prefix, the password and more, another case, a trailing space.
        List<String> nearMisses = List.of(PASSWORD.substring(0, PASSWORD.length() - 1), PASSWORD + "1",
                PASSWORD.toUpperCase(Locale.ROOT), PASSWORD + " ");
        assertThat(nearMisses).hasSizeLessThan(LoginThrottle.FREE_FAILURES);
        for (String nearMiss : nearMisses) {
            assertThat(basic(USER, nearMiss, from).statusCode()).as(nearMiss).isEqualTo(401);
        }
        assertThat(basic(USER, PASSWORD, from).statusCode()).isEqualTo(200);
    }

    @Test
    void guessesFromOneAddressLockThatAddressWhateverTheUser() {
        String from = "198.51.100.66";
        for (int i = 1; i <= LoginThrottle.FREE_FAILURES; i++) {
            assertThat(basic("someone-" + i, "guess", from).statusCode()).isEqualTo(401);
        }
        assertThat(basic(USER, PASSWORD, from).statusCode()).isEqualTo(429);
        assertThat(basic(USER, PASSWORD, "198.51.100.67").statusCode()).isEqualTo(200);
    }

    @Test
    void aSessionNeverStandsInForWrongBasicCredentialsNorSkipsCsrf() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String loginPage = browser.send(request("/login").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage);
        assertThat(csrf.find()).as(loginPage).isTrue();
        HttpResponse<String> login = browser.send(signInForm(csrf.group(1)), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).as("a path: behind a TLS proxy it stays on https")
                .hasValue("/ops/");
        // The same form sent again without the cookie its token matched (a page shown before cookies were cleared):
        // back to the sign-in page, which says it had expired; not a 404 or a JSON 403.
        HttpResponse<String> stale = HttpClient.newHttpClient().send(signInForm(csrf.group(1)),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stale.statusCode()).isEqualTo(302);
        assertThat(stale.headers().firstValue("Location")).hasValue("/login?expired");
        String replay = "/admin/events/" + Samples.freshId() + "/replay";

        // The session alone, without its CSRF token: refused, in JSON.
        HttpResponse<String> tokenless = browser.send(request(replay).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tokenless.statusCode()).isEqualTo(403);
        assertThat(Samples.tree(tokenless.body()).path("error").asText()).isEqualTo("forbidden");
        assertThat(tokenless.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        // Any Authorization header used to switch CSRF off for the session: no more.
        assertThat(browser.send(request(replay).header("Authorization", "Bearer x")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(403);
        // Wrong Basic credentials are wrong, whatever session comes along.
        assertThat(browser.send(request(replay).header("Authorization", basicHeader(USER, "wrong-password"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(401);
        // Right ones need no token: nothing to replay for an unknown event.
        assertThat(browser.send(request(replay).header("Authorization", basicHeader(USER, PASSWORD))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
    }

    @Test
    void everyAdminInputIsValidatedWithA400AndAJsonError() {
        String longReason = "{\"reason\":\"" + "x".repeat(2001) + "\"}";
        for (Map.Entry<String, String> bad : List.of(
                Map.entry("POST /admin/dead-letters/" + Samples.freshId() + "/discard", longReason),
                Map.entry("POST /admin/dead-letters/" + Samples.freshId() + "/erp/discard", "{\"reason\": 7"),
                Map.entry("POST /admin/replays", "{\"family\":\"library\",\"dryRun\":true}"),
                Map.entry("POST /admin/replays", "{\"dryRun\":\"maybe\"}"),
                Map.entry("POST /admin/replays", "{\"from\":\"yesterday\",\"dryRun\":true}"),
                Map.entry("GET /admin/events?limit=ten", ""),
                Map.entry("GET /admin/events?limit=100000", ""),
                Map.entry("GET /admin/events?status=SHIPPED", ""),
                // A target the bridge has never had: a typo would match nothing, and read as "none there".
                Map.entry("GET /admin/dead-letters?target=erpp", ""),
                Map.entry("GET /admin/events?target=erpp", ""),
                Map.entry("POST /admin/replays", "{\"target\":\"erpp\",\"dryRun\":true}"),
                Map.entry("GET /admin/dead-letters?student=" + "9".repeat(200), ""),
                Map.entry("GET /admin/dead-letters?to=12/01/2026", ""),
                // "to" is exclusive: a range that ends where it starts, or before, would match nothing.
                Map.entry("GET /admin/events?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", ""),
                Map.entry("GET /admin/dead-letters?from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z", ""),
                Map.entry("POST /admin/replays", "{\"from\":\"2026-12-01T00:00:00Z\",\"to\":\"2026-11-01T00:00:00Z\","
                        + "\"dryRun\":true}"),
                Map.entry("GET /admin/audit?limit=-1", ""),
                Map.entry("GET /admin/reconciliation?date=2026-02-30", ""),
                Map.entry("GET /admin/reconciliation?format=xml", ""),
                Map.entry("GET /admin/reconciliation/days?days=0", ""),
                // Years Java parses but no day arithmetic, column or file name holds: refused, not a 500.
                Map.entry("GET /admin/reconciliation?date=-999999999-01-01", ""),
                Map.entry("GET /admin/reconciliation?date=%2B999999999-12-31", ""),
                Map.entry("GET /admin/reconciliation/days?date=%2B10000-01-01", ""),
                Map.entry("GET /admin/events?from=%2B1000000000-01-01T00:00:00Z", ""),
                Map.entry("GET /admin/dead-letters?to=-1000000000-01-01T00:00:00Z", ""),
                Map.entry("POST /admin/replays", "{\"from\":\"+294277-01-01T00:00:00Z\",\"dryRun\":true}"),
                // Text PostgreSQL refuses (NUL): the operator's typo, not a 500 from the store.
                Map.entry("GET /admin/events?event=a%00b", ""),
                Map.entry("GET /admin/payments/a%01b", ""),
                Map.entry("POST /admin/replays", "{\"student\":\"a\\u0000b\",\"dryRun\":false}"),
                Map.entry("POST /admin/dead-letters/" + Samples.freshId() + "/discard", "{\"reason\":\"a\\u0000b\"}"))) {
            String[] call = bad.getKey().split(" ", 2);
            HttpResponse<String> answer = bridge.admin(call[0], call[1], USER, PASSWORD,
                    bad.getValue().isEmpty() ? null : bad.getValue());
            assertThat(answer.statusCode()).as(bad.getKey() + " " + answer.body()).isEqualTo(400);
            assertThat(Samples.tree(answer.body()).path("error").asText()).isEqualTo("bad_request");
            assertThat(Samples.tree(answer.body()).path("message").asText()).isNotBlank();
        }
    }

    /**
     * A body field of the wrong type is named, with what it takes, not answered with the call's whole shape; a day to
     * reconcile that has not begun is refused, not answered as a day without differences, and one the calendar does
     * not have is refused saying why.
     */
    @Test
    void aBodyFieldOfTheWrongTypeIsNamedWithWhatItTakes() {
        for (Map.Entry<String, String> bad : Map.of(
                "{\"dryRun\": \"maybe\"}", "field 'dryRun' must be true or false",
                "{\"family\": [\"flex\"], \"dryRun\": true}", "field 'family' must be text",
                "{\"from\": {\"day\": 1}, \"dryRun\": true}", "field 'from' must be text",
                // Not taken as the text "5", nor as false: a number or a quoted flag is a mistake too.
                "{\"family\": 5, \"dryRun\": true}", "field 'family' must be text",
                "{\"student\": 1.5, \"dryRun\": true}", "field 'student' must be text",
                "{\"event\": true, \"dryRun\": true}", "field 'event' must be text",
                "{\"dryRun\": \"false\"}", "field 'dryRun' must be true or false",
                "{\"dryRun\": 0}", "field 'dryRun' must be true or false").entrySet()) {
            HttpResponse<String> answer = bridge.admin("POST", "/admin/replays", USER, PASSWORD, bad.getKey());
            assertThat(answer.statusCode()).as(bad.getKey() + " " + answer.body()).isEqualTo(400);
            assertThat(Samples.tree(answer.body()).path("message").asText()).as(bad.getKey())
                    .isEqualTo(bad.getValue());
        }
        assertThat(Samples.tree(bridge.admin("GET", "/admin/reconciliation?date=2999-01-01", USER, PASSWORD, null)
                .body()).path("message").asText()).startsWith("date 2999-01-01 has not begun in the school's time zone"
                + " (Asia/Kolkata, where it is ").endsWith("there is nothing to reconcile yet");
        // Shaped as a day but not one: why, not "a day such as", which reads as a complaint about the shape.
        assertThat(Samples.tree(bridge.admin("GET", "/admin/reconciliation?date=2026-02-29", USER, PASSWORD, null)
                .body()).path("message").asText()).startsWith("date 2026-02-29 is not a day of the calendar (")
                .contains("'2026' is not a leap year");
        assertThat(Samples.tree(bridge.admin("GET", "/admin/reconciliation/days?date=2026-13-01", USER, PASSWORD,
                null).body()).path("message").asText()).startsWith("date 2026-13-01 is not a day of the calendar (")
                .contains("MonthOfYear");
        assertThat(Samples.tree(bridge.admin("GET", "/admin/reconciliation?date=yesterday", USER, PASSWORD, null)
                .body()).path("message").asText()).isEqualTo("date must be a day such as 2026-11-23, with a year"
                + " from 0000 to 9999");
        assertThat(Samples.tree(bridge.admin("POST", "/admin/dead-letters/" + Samples.freshId() + "/discard", USER,
                PASSWORD, "{\"reason\": {\"why\": \"duplicate\"}}").body()).path("message").asText())
                .isEqualTo("field 'reason' must be text");
        assertThat(Samples.tree(bridge.admin("POST", "/admin/dead-letters/" + Samples.freshId() + "/discard", USER,
                PASSWORD, "{\"reason\": 42}").body()).path("message").asText())
                .isEqualTo("field 'reason' must be text");
        // Which of two values was meant cannot be told: a field given twice, or a second value after the body's, is
        // refused like a query parameter given twice, never taken (and never a 500).
        for (Map.Entry<String, String> twice : Map.of(
                "{\"dryRun\": true, \"dryRun\": false}", "field 'dryRun' was given twice; give it once",
                "{\"family\": \"flex\", \"dryRun\": true, \"family\": \"pay\"}",
                "field 'family' was given twice; give it once",
                "{\"dryRun\": true} {\"dryRun\": false}", "the body must be one JSON object, with nothing after it")
                .entrySet()) {
            HttpResponse<String> answer = bridge.admin("POST", "/admin/replays", USER, PASSWORD, twice.getKey());
            assertThat(answer.statusCode()).as(twice.getKey() + " " + answer.body()).isEqualTo(400);
            assertThat(Samples.tree(answer.body()).path("message").asText()).as(twice.getKey())
                    .isEqualTo(twice.getValue());
        }
        HttpResponse<String> twoReasons = bridge.admin("POST", "/admin/dead-letters/" + Samples.freshId()
                + "/discard", USER, PASSWORD, "{\"reason\": \"entered by hand\", \"reason\": \"duplicate\"}");
        assertThat(twoReasons.statusCode()).as(twoReasons.body()).isEqualTo(400);
        assertThat(Samples.tree(twoReasons.body()).path("message").asText())
                .isEqualTo("field 'reason' was given twice; give it once");
    }

    /**
     * A JSON body sent as a form (curl's -d without a Content-Type) is a 415 saying to send JSON: read as a form, the
     * body became a query parameter named after the whole JSON, refused as unknown. An answer asked for as XML is a
     * 406 saying what to ask for (the body was empty).
     */
    @Test
    void aBodySentAsAFormIsA415SayingToSendJsonAndAnAnswerAskedForAsXmlA406() throws Exception {
        HttpResponse<String> form = HttpClient.newHttpClient().send(request("/admin/replays")
                .header("Authorization", basicHeader(USER, PASSWORD))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"dryRun\": true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(Samples.tree(form.body()).path("message").asText()).contains("Content-Type: application/json");
        // A call that takes no body is refused so too, rather than run with a form it ignores.
        HttpResponse<String> replay = HttpClient.newHttpClient().send(request("/admin/events/" + Samples.freshId()
                + "/replay").header("Authorization", basicHeader(USER, PASSWORD))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("reason=duplicate")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).isEqualTo(415);
        // And an answer asked for in a type the call does not answer in is a 406 saying what to send, in JSON.
        HttpResponse<String> xml = HttpClient.newHttpClient().send(request("/admin/stuck")
                .header("Authorization", basicHeader(USER, PASSWORD)).header("Accept", "application/xml").GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(xml.statusCode()).isEqualTo(406);
        assertThat(Samples.tree(xml.body()).path("message").asText()).contains("send no Accept header");
    }

    /**
     * A query parameter or body field the call does not take is refused, not ignored: ignored, {@code state=DEAD}
     * would list every event and a misspelt filter would replay every dead letter.
     */
    @Test
    void aParameterOrFieldACallDoesNotTakeIsRefusedNamingTheOnesItDoes() {
        for (Map.Entry<String, List<String>> bad : Map.of(
                "GET /admin/events?state=DEAD", List.of("unknown query parameter 'state'; did you mean status?",
                        "GET /admin/events takes family, event, target, status, from, to, student, limit, offset"),
                "GET /admin/dead-letters?limit=5&famly=flex", List.of("'famly'; did you mean family?"),
                "GET /admin/audit?since=2026-12-01", List.of("'since'",
                        "GET /admin/audit takes action, actor, subject, from, to, limit, offset"),
                "GET /admin/stuck?" + "x".repeat(500) + "=1", List.of("'" + "x".repeat(64) + "...'", "takes none"),
                "POST /admin/replays {\"dry_run\": false, \"family\": \"flex\"}", List.of(
                        "unknown field 'dry_run'; did you mean dryRun?",
                        "this call takes dryRun, event, family, from, student, target, to"),
                "POST /admin/replays {\"familly\": \"flex\", \"dryRun\": true}", List.of("did you mean family?"),
                "POST /admin/dead-letters/" + Samples.freshId() + "/discard {\"reason\": \"x\", \"family\": \"flex\"}",
                List.of("unknown field 'family'", "this call takes reason"),
                // Spring took the first number given, and joined two texts: a second page asked for read the first.
                "GET /admin/events?limit=5&offset=0&offset=5", List.of("query parameter 'offset' was given 2 times"),
                // Taken as 0, a script paging backwards read the first page again and again.
                "GET /admin/dead-letters?offset=-5", List.of("offset must be a whole number between 0 and 2147483647"),
                "GET /admin/events?offset=9223372036854775807", List.of("offset must be a whole number between 0 and")
                ).entrySet()) {
            String[] call = bad.getKey().split(" ", 3);
            HttpResponse<String> answer = bridge.admin(call[0], call[1], USER, PASSWORD,
                    call.length > 2 ? call[2] : null);
            assertThat(answer.statusCode()).as(bad.getKey() + " " + answer.body()).isEqualTo(400);
            assertThat(Samples.tree(answer.body()).path("message").asText()).as(bad.getKey())
                    .contains(bad.getValue());
        }
        assertThat(bridge.admin("POST", "/admin/replays", USER, PASSWORD, "{\"family\": \"flex\", \"dryRun\": true}")
                .statusCode()).isEqualTo(200);
        assertThat(bridge.admin("GET", "/admin/events?family=flex&status=DEAD&limit=5&offset=0", USER, PASSWORD,
                null).statusCode()).isEqualTo(200);
        // A day that has begun wherever the machine's clock is (a day to come is refused, as tested above).
        assertThat(bridge.admin("GET", "/admin/reconciliation?date=" + LocalDate.now(ZoneOffset.UTC).minusDays(2)
                + "&format=csv", USER, PASSWORD, null).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownIdFarLongerThanAnyRealOneIsNotEchoedWhole() {
        HttpResponse<String> answer = bridge.admin("GET", "/admin/events/" + "a".repeat(5000), USER, PASSWORD, null);

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(Samples.tree(answer.body()).path("message").asText()).startsWith("no event aaa").hasSize(303);
    }

    private static HttpResponse<String> basic(String user, String password, String from) {
        try {
            return HttpClient.newHttpClient().send(request("/admin/audit?limit=1")
                    .header("Authorization", basicHeader(user, password))
                    .header("X-Forwarded-For", from).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sign-in page's form, sent as a browser sends it, with the right login and the page's CSRF token. */
    private static HttpRequest signInForm(String csrfToken) {
        return request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + USER + "&password="
                        + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
                        + URLEncoder.encode(csrfToken, StandardCharsets.UTF_8))).build();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.port() + path))
                .timeout(Duration.ofSeconds(30));
    }

    private static String basicHeader(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
