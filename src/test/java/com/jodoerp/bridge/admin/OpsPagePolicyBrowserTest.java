package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Browser;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpHttpServer.Answer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sign-in and ops pages carry a Content-Security-Policy that lets only the bridge's own script files run, and
 * both pages work under it in headless Chromium; an ERP's answer carrying markup is shown as text and never runs.
 */
class OpsPagePolicyBrowserTest {

    private static final Pattern SCRIPT = Pattern.compile("<script([^>]*)>");
    /** What an ERP (or whoever sits behind it) might answer: markup that runs if a page ever writes it as HTML. */
    private static final String MARKUP = "<img src=x onerror=\"document.title='ran'\">";

    @TempDir
    Path work;

    @Test
    void bothPagesWorkUnderAPolicyThatRunsNoInlineScriptAndAnErpsMarkupIsShownAsText() throws Exception {
        Browser.require();
        try (ErpHttpServer erp = new ErpHttpServer()) {
            erp.otherwise(Answer.status(422, JsonNodeFactory.instance.objectNode().put("error", MARKUP).toString()));
            try (BridgeInstance bridge = BridgeInstance.start(work.resolve("data"),
                    OperatorsTest.withOperator(ErpTargets.soleTarget("rest", Map.of("url", erp.url()))))) {
                String id = Samples.freshId();
                bridge.postWebhook(Samples.withEventId("masterdata.student.registered", id), null);
                await().atMost(Duration.ofSeconds(30)).until(() -> "DEAD".equals(bridge.deliveryState(id, "erp")));

                assertOnlyOwnScripts(bridge.admin("GET", "/login", null, null, null));
                assertOnlyOwnScripts(bridge.admin("GET", "/ops/", OperatorsTest.USER, OperatorsTest.PASSWORD, null));

                WebDriver driver = Browser.chrome(work.resolve("chromium-profile"));
                try {
                    // A wrong password: the sign-in page's script, under the policy, says so.
                    WebDriverWait wait = Browser.signIn(driver, bridge, OperatorsTest.USER, "not-the-password");
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("said"),
                            "Wrong user name or password."));

                    Browser.signIn(driver, bridge, OperatorsTest.USER, OperatorsTest.PASSWORD);
                    wait.until(ExpectedConditions.elementToBeClickable(By.id("details-" + id + "-erp"))).click();
                    // As the ERP answered it (its JSON, quotes escaped), and as text.
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-attempts"),
                            "<img src=x onerror="));
                    assertThat(driver.findElements(By.cssSelector("#detail-attempts img"))).isEmpty();
                    assertThat(driver.getTitle()).isNotEqualTo("ran");
                    assertThat(Browser.console(driver)).noneMatch(Browser::refusedByPolicy)
                            // Both pages name an icon of their own: no request for one the bridge does not serve.
                            .noneMatch(line -> line.contains("favicon.ico"));
                } finally {
                    driver.quit();
                }
            }
        }
    }

    /** The policy is sent, refuses inline scripts and framing, and the page itself has no inline script. */
    private static void assertOnlyOwnScripts(HttpResponse<String> page) {
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("script-src 'self';").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline"));
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
        Matcher script = SCRIPT.matcher(page.body());
        int scripts = 0;
        while (script.find()) {
            assertThat(script.group(1)).as("every script of the page is a file of its own").contains("src=");
            scripts++;
        }
        assertThat(scripts).isPositive();
    }
}
