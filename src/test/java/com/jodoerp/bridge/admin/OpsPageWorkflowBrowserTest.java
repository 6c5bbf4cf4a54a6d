package com.jodoerp.bridge.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.jodoerp.bridge.support.BridgeInstance;
import com.jodoerp.bridge.support.Browser;
import com.jodoerp.bridge.support.ErpHttpServer;
import com.jodoerp.bridge.support.ErpHttpServer.Answer;
import com.jodoerp.bridge.support.ErpTargets;
import com.jodoerp.bridge.support.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An operator's bulk replay, discard and reading of the page in headless Chromium: "Replay all matching" counts the
 * applied filter only and names it, the result says how many were delivered and how many failed again, the bulk bar
 * stays on its tab, times are the school's with UTC on hover, discarding asks in a dialog, and the page works at
 * 420 px wide.
 */
class OpsPageWorkflowBrowserTest {

    @TempDir
    Path work;

    @Test
    void anOperatorReplaysDeadLettersInBulkAndDiscardsOne() throws Exception {
        Browser.require();
        try (ErpHttpServer erp = new ErpHttpServer()) {
            erp.otherwise(Answer.status(422, "{\"error\":\"unknown student\"}"));
            try (BridgeInstance bridge = BridgeInstance.start(work.resolve("data"),
                    OperatorsTest.withOperator(ErpTargets.soleTarget("rest", Map.of("url", erp.url()))))) {
                List<String> students = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String id = Samples.freshId();
                    students.add(id);
                    bridge.postWebhook(Samples.withEventId("masterdata.student.registered", id), null);
                }
                String payment = Samples.freshId();
                bridge.postWebhook(Samples.withEventId("direct.payment.added", payment), null);
                await().atMost(Duration.ofSeconds(30)).until(() -> students.stream().allMatch(id ->
                        "DEAD".equals(bridge.deliveryState(id, "erp"))) && "DEAD".equals(bridge.deliveryState(payment, "erp")));
                // The ERP is fixed for all but two students, which it still refuses.
                erp.script(students.get(0), Answer.status(422, "{\"error\":\"still unknown\"}"));
                erp.script(students.get(1), Answer.status(422, "{\"error\":\"still unknown\"}"));
                erp.otherwise(Answer.status(200, "{}"));

                WebDriver driver = Browser.chrome(work.resolve("chromium-profile"));
                try {
                    WebDriverWait wait = Browser.signIn(driver, bridge, OperatorsTest.USER, OperatorsTest.PASSWORD);
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#rows caption"),
                            "5 dead letter(s)"));

                    // Times: the school's (Asia/Kolkata by default), with the UTC instant on hover.
                    WebElement received = driver.findElement(By.cssSelector("#rows tbody td.time"));
                    assertThat(received.getText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} IST");
                    assertThat(received.getAttribute("title")).endsWith("Z (UTC)");

                    // Filter text typed but not applied changes nothing: the count is of the applied filter.
                    driver.findElement(By.name("event")).sendKeys("direct.payment.added");
                    driver.findElement(By.id("bulk-count")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-status"),
                            "5 dead letter(s) match (no filter: every dead letter)."));
                    driver.findElement(By.id("apply")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#rows caption"),
                            "1 dead letter(s) matching event = direct.payment.added"));
                    assertThat(driver.findElement(By.id("bulk-status")).getText()).as("a count of another filter").isEmpty();
                    driver.findElement(By.id("bulk-count")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-status"),
                            "1 dead letter(s) match (event = direct.payment.added)."));
                    driver.findElement(By.id("bulk-dismiss")).click();

                    driver.findElement(By.name("event")).clear();
                    driver.findElement(By.id("apply")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#rows caption"),
                            "5 dead letter(s)"));
                    driver.findElement(By.id("bulk-count")).click();
                    wait.until(ExpectedConditions.elementToBeClickable(By.id("bulk-start")));
                    assertThat(driver.findElement(By.id("bulk-start")).getText()).isEqualTo("Replay these 5");
                    driver.findElement(By.id("bulk-start")).click();
                    new WebDriverWait(driver, Duration.ofSeconds(60)).withMessage(() -> "bulk status: "
                                    + driver.findElement(By.id("bulk-status")).getText())
                            .until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-status"),
                                    "Replay done: 5 of 5 replayed; 3 delivered, 2 failed again, 0 waiting."));
                    assertThat(erp.acceptedFor(payment)).isEqualTo(1);
                    assertThat(erp.acceptedFor(students.get(0))).isZero();

                    // The bulk bar belongs to the dead-letter tab.
                    driver.findElement(By.id("tab-events")).click();
                    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("bulk")));
                    driver.findElement(By.id("tab-audit")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rows"), "BULK_REPLAY"));
                    assertThat(driver.findElement(By.id("bulk")).isDisplayed()).isFalse();

                    // Each attempt: its HTTP status, duration, next try (none: dead) and what the ERP said.
                    driver.findElement(By.id("tab-dead")).click();
                    By details = By.id("details-" + students.get(1) + "-erp");
                    wait.until(ExpectedConditions.elementToBeClickable(details)).click();
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#detail-attempts table")));
                    List<WebElement> attempts = driver.findElements(By.cssSelector("#detail-attempts tbody tr"));
                    assertThat(attempts).hasSize(2);
                    List<WebElement> second = attempts.get(1).findElements(By.tagName("td"));
                    assertThat(second.get(0).getText()).isEqualTo("2");
                    assertThat(second.get(2).getText()).isEqualTo("DEAD");
                    assertThat(second.get(3).getText()).isEqualTo("HTTP 422");
                    assertThat(second.get(4).getText()).matches("\\d+ ms");
                    assertThat(second.get(5).getText()).isEmpty();
                    assertThat(second.get(6).getText()).contains("still unknown");
                    assertThat(attempts.get(0).findElements(By.tagName("td")).get(6).getText()).contains("unknown student");
                    driver.findElement(By.id("detail-close")).click();

                    // Discard through a dialog that names the dead letter and asks why.
                    String refused = students.get(0);
                    By discard = By.id("discard-" + refused + "-erp");
                    wait.until(ExpectedConditions.elementToBeClickable(discard)).click();
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("discard-dialog")));
                    assertThat(driver.findElement(By.id("discard-what")).getText()).isEqualTo(refused + " to erp");
                    driver.findElement(By.id("discard-reason")).sendKeys("left the school before joining");
                    driver.findElement(By.id("discard-confirm")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Discarded " + refused));
                    assertThat(bridge.deliveryState(refused, "erp")).isEqualTo("DISCARDED");
                    // The page says so, then lists the dead letters again: the discarded one leaves the list.
                    wait.until(ExpectedConditions.invisibilityOfElementLocated(discard));

                    // The audit, counted and filtered by what was done and to what: the lists' own filters give way
                    // to its own, which the other tabs do not take.
                    driver.findElement(By.id("tab-audit")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#rows caption"),
                            "2 audit entries"));
                    assertThat(driver.findElement(By.name("family")).isDisplayed()).isFalse();
                    new Select(driver.findElement(By.name("action")))
                            .selectByVisibleText("DISCARD");
                    driver.findElement(By.name("subject")).sendKeys(refused);
                    driver.findElement(By.id("apply")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#rows caption"),
                            "1 audit entry matching action = DISCARD, subject = " + refused));
                    assertThat(driver.findElement(By.cssSelector("#rows tbody")).getText())
                            .contains("left the school before joining").doesNotContain("BULK_REPLAY");
                    // The entry leads to the event it is about.
                    driver.findElement(By.id("audit-details-0")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-id"), refused));
                    assertThat(driver.findElement(By.id("detail-body")).getText()).contains("DISCARDED");
                    driver.findElement(By.id("detail-close")).click();
                    driver.findElement(By.id("tab-dead")).click();
                    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#rows caption"),
                            "dead letter(s)"));
                    assertThat(driver.findElement(By.cssSelector("#rows caption")).getText()).doesNotContain("matching");
                    assertThat(driver.findElement(By.name("action")).isDisplayed()).isFalse();

                    // Upright on a phone: nothing wider than the screen, the actions still reachable.
                    driver.manage().window().setSize(new Dimension(420, 900));
                    long pageWidth = (Long) ((JavascriptExecutor) driver).executeScript(
                            "return document.documentElement.scrollWidth;");
                    long viewport = (Long) ((JavascriptExecutor) driver).executeScript("return window.innerWidth;");
                    assertThat(pageWidth).isLessThanOrEqualTo(viewport);
                    By replay = By.id("replay-" + students.get(1) + "-erp");
                    // Found again on each try: a list drawn anew meanwhile replaces the button.
                    wait.ignoring(StaleElementReferenceException.class).until(page -> {
                        WebElement button = page.findElement(replay);
                        ((JavascriptExecutor) page).executeScript("arguments[0].scrollIntoView();", button);
                        return button.isDisplayed();
                    });
                    assertThat(driver.findElement(By.id("apply")).getRect().getWidth()).isLessThanOrEqualTo(420);
                } finally {
                    driver.quit();
                }
            }
        }
    }

    @Test
    void theSignInPageNamesTheProductAndSaysWhenThePasswordIsWrong() throws Exception {
        Browser.require();
        try (BridgeInstance bridge = BridgeInstance.start(work.resolve("data"), Map.of(
                "bridge.admin.username", OperatorsTest.USER, "bridge.admin.password", OperatorsTest.PASSWORD))) {
            WebDriver driver = Browser.chrome(work.resolve("chromium-profile"));
            try {
                WebDriverWait wait = Browser.signIn(driver, bridge, OperatorsTest.USER, "not the password");
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("said")));
                assertThat(driver.getTitle()).isEqualTo("Sign in · jodo-erp-bridge");
                assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("jodo-erp-bridge");
                assertThat(driver.findElement(By.id("said")).getText()).isEqualTo("Wrong user name or password.");

                driver.findElement(By.id("username")).sendKeys(OperatorsTest.USER);
                driver.findElement(By.id("password")).sendKeys(OperatorsTest.PASSWORD);
                driver.findElement(By.cssSelector("button[type=submit]")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tab-dead")));
                assertThat(driver.getCurrentUrl()).endsWith("/ops/");
                driver.findElement(By.cssSelector("#logout button")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("said"), "Signed out."));

                // The page's token no longer matches a cookie (cleared since it was shown): the page again, saying
                // so, and signing in from it works.
                driver.manage().deleteAllCookies();
                driver.findElement(By.id("username")).sendKeys(OperatorsTest.USER);
                driver.findElement(By.id("password")).sendKeys(OperatorsTest.PASSWORD);
                driver.findElement(By.cssSelector("button[type=submit]")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("said"), "had expired"));
                assertThat(driver.findElement(By.id("said")).getText())
                        .isEqualTo("This sign-in page had expired. Sign in again.");
                driver.findElement(By.id("username")).sendKeys(OperatorsTest.USER);
                driver.findElement(By.id("password")).sendKeys(OperatorsTest.PASSWORD);
                driver.findElement(By.cssSelector("button[type=submit]")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tab-dead")));

                // A link to a tab (an alert's), opened signed out: the tab it names opens once signed in, after a
                // wrong password too.
                driver.findElement(By.cssSelector("#logout button")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("said"), "Signed out."));
                driver.get("http://127.0.0.1:" + bridge.port() + "/ops/#reconciliation");
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username"))).sendKeys(OperatorsTest.USER);
                driver.findElement(By.id("password")).sendKeys("not the password");
                driver.findElement(By.cssSelector("button[type=submit]")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("said"), "Wrong user name"));
                driver.findElement(By.id("username")).sendKeys(OperatorsTest.USER);
                driver.findElement(By.id("password")).sendKeys(OperatorsTest.PASSWORD);
                driver.findElement(By.cssSelector("button[type=submit]")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recon-date")));
                assertThat(driver.getCurrentUrl()).endsWith("/ops/#reconciliation");
                assertThat(driver.findElement(By.id("tab-recon")).getAttribute("class")).contains("active");
            } finally {
                driver.quit();
            }
        }
    }

    @Test
    void listsShowTheirTotalAndPageByAHundred() throws Exception {
        Browser.require();
        try (BridgeInstance bridge = withFlexEvents(105)) {
            WebDriver driver = Browser.chrome(work.resolve("chromium-profile"));
            try {
                WebDriverWait wait = Browser.signIn(driver, bridge, OperatorsTest.USER, OperatorsTest.PASSWORD);
                wait.until(ExpectedConditions.elementToBeClickable(By.id("tab-events"))).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#rows caption"),
                        "105 event(s)"));
                assertThat(driver.findElement(By.id("page-status")).getText()).isEqualTo("1–100 of 105");
                assertThat(driver.findElements(By.cssSelector("#rows tbody tr"))).hasSize(100);
                assertThat(driver.findElement(By.id("page-previous")).isEnabled()).isFalse();
                driver.findElement(By.id("page-next")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-status"), "101–105 of 105"));
                assertThat(driver.findElements(By.cssSelector("#rows tbody tr"))).hasSize(5);
                assertThat(driver.findElement(By.id("page-next")).isEnabled()).isFalse();
                driver.findElement(By.id("page-previous")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("page-status"), "1–100 of 105"));
                // Lists that fit one page, and tabs that page nothing, show no pager.
                driver.findElement(By.id("tab-dead")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#rows caption"),
                        "dead letter(s)"));
                assertThat(driver.findElement(By.id("pages")).isDisplayed()).isFalse();
                driver.findElement(By.id("tab-audit")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#rows thead"), "Who"));
                assertThat(driver.findElement(By.id("pages")).isDisplayed()).isFalse();
                driver.findElement(By.id("tab-recon")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#recon-targets h3")));
                assertThat(driver.findElement(By.id("pages")).isDisplayed()).isFalse();

                // Each tab has an address: the reconciliation's, opened afresh (a bookmark, a link in an e-mail),
                // shows the reconciliation.
                assertThat(driver.getCurrentUrl()).endsWith("/ops/#reconciliation");
                driver.get("http://127.0.0.1:" + bridge.port() + "/ops/#events");
                driver.navigate().refresh();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#rows caption"),
                        "105 event(s)"));
                assertThat(driver.findElement(By.id("tab-events")).getAttribute("class")).contains("active");
                driver.get("http://127.0.0.1:" + bridge.port() + "/ops/#reconciliation");
                driver.navigate().refresh();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#recon-targets h3")));
                assertThat(driver.findElement(By.id("tab-recon")).getAttribute("class")).contains("active");
            } finally {
                driver.quit();
            }
        }
    }

    /** An answer for a list the operator has since left, arriving late, does not replace the list now shown. */
    @Test
    void aLateAnswerDoesNotReplaceTheListAskedForLast() throws Exception {
        Browser.require();
        try (BridgeInstance bridge = withFlexEvents(3)) {
            WebDriver driver = Browser.chrome(work.resolve("chromium-profile"));
            try {
                WebDriverWait wait = Browser.signIn(driver, bridge, OperatorsTest.USER, OperatorsTest.PASSWORD);
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#rows caption"),
                        "dead letter(s)"));
                // Hold the dead letters' answer until released; once the page has read it, flag that a task later
                // (every step from reading the body to drawing the list runs before that task).
                ((JavascriptExecutor) driver).executeScript("""
                        const original = window.fetch;
                        window.held = [];
                        window.fetch = (url, options) => !String(url).startsWith("/admin/dead-letters")
                          ? original(url, options)
                          : new Promise((resolve) => window.held.push(() => original(url, options).then((r) => {
                              const json = r.json.bind(r);
                              r.json = () => json().then((body) => {
                                setTimeout(() => { window.lateAnswerRead = true; }, 0);
                                return body;
                              });
                              resolve(r);
                            })));
                        """);
                driver.findElement(By.id("tab-dead")).click();
                wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return window.held.length;"))
                        .intValue() == 1);
                driver.findElement(By.id("tab-events")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#rows caption"),
                        "3 event(s)"));

                ((JavascriptExecutor) driver).executeScript("window.held.forEach((release) => release());");
                wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                        "return window.lateAnswerRead === true;")));
                assertThat(driver.findElement(By.cssSelector("#rows caption")).getText()).isEqualTo("3 event(s)");
                assertThat(driver.findElements(By.cssSelector("#rows tbody tr"))).hasSize(3);
                assertThat(driver.findElement(By.id("tab-events")).getAttribute("class")).contains("active");
            } finally {
                driver.quit();
            }
        }
    }

    /** A bridge with an operator and this many Flex instalments received (no ERP target). */
    private BridgeInstance withFlexEvents(int count) {
        BridgeInstance bridge = BridgeInstance.start(work.resolve("data"), OperatorsTest.withOperator(new HashMap<>()));
        for (int i = 0; i < count; i++) {
            bridge.postWebhook(Samples.withEventId("flex.instalment.debited", Samples.freshId()), null);
        }
        return bridge;
    }
}
