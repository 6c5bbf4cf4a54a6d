package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Browser;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpHttpServer.Answer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.Samples;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.chromium.HasNetworkConditions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The ops page in a real headless Chromium: log in, find a dead letter, replay it, see it delivered. */
class OpsPageBrowserTest {

    @TempDir
    Path work;

    @Test
    void anOperatorReplaysADeadLetterFromTheOpsPage() throws Exception {
        Browser.require();

        try (ErpHttpServer erp = new ErpHttpServer()) {
            erp.otherwise(Answer.status(422, "{\"error\":\"unknown student\"}"));
            try (BridgeInstance bridge = BridgeInstance.start(work.resolve("data"),
                    OperatorsTest.withOperator(ErpTargets.soleTarget("rest", Map.of("url", erp.url()))))) {
                String id = Samples.freshId();
                bridge.postWebhook(Samples.withEventId("masterdata.student.registered", id), null);
                await().atMost(Duration.ofSeconds(30)).until(() -> "DEAD".equals(bridge.deliveryState(id, "erp")));
                erp.otherwise(Answer.status(200, "{}"));

                WebDriver driver = Browser.chrome(work.resolve("chromium-profile"));
                try {
                    WebDriverWait wait = Browser.signIn(driver, bridge, OperatorsTest.USER, OperatorsTest.PASSWORD);

                    By replay = By.id("replay-" + id + "-erp");
                    wait.until(ExpectedConditions.elementToBeClickable(replay)).click();
                    wait.withMessage(() -> "the page said: " + driver.findElement(By.id("message")).getText())
                            .until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Replayed " + id));
                    await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(bridge.deliveryState(id, "erp")));
                    assertThat(erp.acceptedFor(id)).isEqualTo(1);

                    driver.findElement(By.id("tab-audit")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rows"), "REPLAY"));
                    assertThat(driver.findElement(By.id("rows")).getText()).contains(OperatorsTest.USER).contains(id);
                } finally {
                    driver.quit();
                }
            }
        }
    }

    @Test
    void theOpsPageWarnsOfStuckWork() throws Exception {
        Browser.require();
        Map<String, String> settings = new HashMap<>(Map.of(
                "bridge.admin.username", OperatorsTest.USER,
                "bridge.admin.password", OperatorsTest.PASSWORD,
                "bridge.dispatch.claim-lease", "3s"));
        try (BridgeInstance bridge = BridgeInstance.start(work.resolve("data"), settings)) {
            // Dispatch not running, as when every batch failed: the stored event waits past twice its lease.
            bridge.bean(CamelContext.class).getRouteController().stopRoute("dispatch-stored-events");
            bridge.postWebhook(Samples.withEventId("flex.instalment.debited", Samples.freshId()), null);
            await().atMost(Duration.ofSeconds(20)).until(() -> bridge.admin("GET", "/admin/stuck", OperatorsTest.USER,
                    OperatorsTest.PASSWORD, null).body().contains("\"events\":1"));

            WebDriver driver = Browser.chrome(work.resolve("chromium-profile"));
            try {
                WebDriverWait wait = Browser.signIn(driver, bridge, OperatorsTest.USER, OperatorsTest.PASSWORD);
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("stuck")));
                assertThat(driver.findElement(By.id("stuck")).getText()).startsWith("Stuck: 1 event(s)");
            } finally {
                driver.quit();
            }
        }
    }

    /** An accountant's link to a day's reconciliation opens that day; a day picked becomes the page's address. */
    @Test
    void aReconciliationDayHasAnAddressOfItsOwn() throws Exception {
        try (BridgeInstance bridge = BridgeInstance.start(work.resolve("data"),
                OperatorsTest.withOperator(new HashMap<>()))) {
            Browser.onTab(work.resolve("chromium-profile"), bridge, OperatorsTest.USER, OperatorsTest.PASSWORD,
                    "tab-dead", (driver, wait) -> {
                        By csv = By.id("recon-csv");
                        String ops = "http://127.0.0.1:" + bridge.port() + "/ops/";
                        driver.get(ops + "#reconciliation/2025-03-14");
                        wait.until(ExpectedConditions.attributeContains(csv, "href", "date=2025-03-14"));
                        assertThat(driver.findElement(By.id("tab-recon")).getAttribute("class")).contains("active");
                        driver.navigate().refresh();
                        wait.until(ExpectedConditions.attributeContains(csv, "href", "date=2025-03-14"));
                        assertThat(driver.findElement(By.id("recon-date")).getDomProperty("value"))
                                .isEqualTo("2025-03-14");

                        ((JavascriptExecutor) driver).executeScript(
                                "document.getElementById('recon-date').value = '2025-03-10'");
                        driver.findElement(By.id("recon-load")).click();
                        wait.until(ExpectedConditions.attributeContains(csv, "href", "date=2025-03-10"));
                        assertThat(driver.getCurrentUrl()).isEqualTo(ops + "#reconciliation/2025-03-10");

                        // What is no day opens the latest whole day, yesterday in the school's time zone.
                        driver.get(ops + "#reconciliation/14-03-2025");
                        driver.navigate().refresh();
                        String yesterday = LocalDate.now(ZoneId.of("Asia/Kolkata")).minusDays(1).toString();
                        wait.until(ExpectedConditions.attributeContains(csv, "href", "date=" + yesterday));
                    });
        }
    }

    @Test
    void aDayChosenWhileTheReconciliationLoadsIsTheDayShown() throws Exception {
        try (BridgeInstance bridge = BridgeInstance.start(work.resolve("data"),
                OperatorsTest.withOperator(new HashMap<>()))) {
            Browser.onTab(work.resolve("chromium-profile"), bridge, OperatorsTest.USER, OperatorsTest.PASSWORD,
                    "tab-recon", (driver, wait) -> {
                        By csv = By.id("recon-csv");
                        wait.until(ExpectedConditions.attributeContains(csv, "href", "date="));
                        // A slow network: each of the page's requests takes a second.
                        ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
                        slow.setLatency(Duration.ofSeconds(1));
                        ((HasNetworkConditions) driver).setNetworkConditions(slow);
                        JavascriptExecutor page = (JavascriptExecutor) driver;
                        // Notes each request the page sends, so that the test knows when today's report is asked.
                        page.executeScript("""
                                window.sent = [];
                                const send = window.fetch;
                                window.fetch = (path, options) => { window.sent.push(path); return send(path, options); };
                                """);
                        driver.findElement(By.id("recon-load")).click();
                        wait.until(ignored -> (Boolean) page.executeScript(
                                "return window.sent.some((path) => path.startsWith('/admin/reconciliation?date='))"));
                        // While today's report loads, the operator picks another day (and has not clicked yet).
                        page.executeScript("document.getElementById('recon-date').value = '2025-03-14'");
                        wait.until(ExpectedConditions.attributeContains(csv, "href", "date=2025-03-14"));
                        assertThat(driver.findElement(By.id("recon-date")).getDomProperty("value"))
                                .isEqualTo("2025-03-14");
                    });
        }
    }
}
