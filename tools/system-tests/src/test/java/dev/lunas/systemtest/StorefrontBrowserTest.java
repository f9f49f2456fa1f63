package dev.lunas.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lunas.launcher.midtrans.LedgerEntry;
import dev.lunas.systemtest.harness.CapturedMessages.Email;
import dev.lunas.systemtest.harness.CapturedMessages.WhatsApp;
import dev.lunas.systemtest.harness.Customer;
import dev.lunas.systemtest.harness.HttpAnswer;
import dev.lunas.systemtest.harness.SystemUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 12, the demo storefront in a real browser: Debian's Chromium, headless, driven through its chromedriver, walks
 * what a customer does on the storefront that the launcher serves for this run (tools/storefront/web): the package
 * list, the checkout form, Snap's popup (the simulator's snap.js and payment page), the order's status page. Each step
 * is saved as a screenshot in target/screenshots/; the README shows the main ones (docs/images/storefront/).
 */
@Order(3)
@ExtendWith(SharedSystem.class)
class StorefrontBrowserTest {

    private static final String PACKAGE = "ai-movie-course";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A paid order's status page waits for the settlement to travel simulator → payment → relay → order. */
    private static final Duration PAYMENT_WAIT = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("lunas.system-test.work", "target/system-test"))
            .resolveSibling("screenshots");
    private static final AtomicInteger STEP = new AtomicInteger();

    private static WebDriver browser;
    private static Path profile;
    private String test;

    @BeforeAll
    static void startChromium() throws IOException {
        profile = Files.createTempDirectory("lunas-chromium-");
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(executable("LUNAS_CHROMIUM", "/usr/bin/chromium"));
        // as root in a container: no sandbox; nothing fetched in the background, nothing remembered between runs
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--lang=id-ID", "--window-size=1000,820", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(executable("LUNAS_CHROMEDRIVER", "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort()
                .build();
        // the page's console, kept per test beside the screenshots (…-console.log): what to read when a step fails
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopChromium() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Each test is a new customer in a new tab session: nothing kept from the one before. */
    @BeforeEach
    void freshSession(SystemUnderTest system, TestInfo info) {
        test = info.getTestMethod().orElseThrow().getName();
        browser.get(system.storefrontOrigin().resolve("/courses").toString());
        ((JavascriptExecutor) browser).executeScript("window.sessionStorage.clear();");
    }

    /** The browser's console of this test, and the page it ended on, for whoever reads a failure. */
    @AfterEach
    void keepTheConsole() throws IOException {
        StringBuilder console = new StringBuilder("ended on " + browser.getCurrentUrl() + "\n");
        browser.manage().logs().get(LogType.BROWSER).forEach(entry -> console.append(entry).append('\n'));
        Files.writeString(SCREENSHOTS.resolve(test + "-console.log"), console);
        screenshot("end");
    }

    @Test
    void aCustomerBuysAPackagePaysInSnapsPopupAndGetsTheAccessLinkByEmailAndWhatsApp(SystemUnderTest system) {
        Customer customer = system.customers().next();
        browser.get(system.storefrontOrigin().toString());
        WebElement card = waitFor(By.cssSelector("[data-package='" + PACKAGE + "']"));
        assertThat(card.findElement(By.cssSelector(".price")).getText()).isEqualTo("Rp 99.000");
        assertThat(card.getText()).contains("Buat Film Pakai AI", "Tempat tidak terbatas");
        screenshot("packages");

        card.findElement(By.cssSelector("a.buy")).click();
        waitFor(By.id("checkout-form"));
        fill(customer);
        screenshot("checkout-form");
        browser.findElement(By.id("pay")).click();

        String token = snapToken();
        screenshot("snap-popup");
        payInPopup("pay");

        UUID orderId = orderOnStatusPage();
        waitForStatus("PAID", PAYMENT_WAIT);
        WebElement access = browser.findElement(By.id("access-link"));
        assertThat(access.getAttribute("href")).isEqualTo(SystemUnderTest.COURSE_ACCESS_URL);
        assertThat(browser.findElement(By.id("order")).getText()).contains("Pembayaran berhasil", "Rp 99.000", orderId.toString());
        screenshot("paid");

        JsonNode order = system.storefront().order(orderId.toString()).json();
        assertThat(order.path("status").asText()).isEqualTo("PAID");
        assertThat(system.simulator().transaction(orderId.toString())).get()
                .satisfies(entry -> assertThat(entry.tokensIssued()).isEqualTo(1));
        assertThat(token).isNotBlank();
        assertThat(ordersOf(system, customer)).containsExactly(orderId);

        List<Email> mails = Eventually.soon("the payment instructions and the access by email").until(
                () -> system.messages().emailsTo(customer.email()), found -> found.size() == 2);
        assertThat(mails).extracting(mail -> mail.template().orElseThrow()).containsExactly("payment-instructions", "payment-success");
        assertThat(mails.get(1).text()).contains(customer.name(), orderId.toString(), SystemUnderTest.COURSE_ACCESS_URL);
        List<WhatsApp> chats = Eventually.soon("the payment instructions and the access by WhatsApp").until(
                () -> system.messages().whatsAppsTo(customer.whatsAppNumber()), found -> found.size() == 2);
        assertThat(chats).extracting(WhatsApp::template).containsExactly("lunas_payment_instructions", "lunas_payment_success");
        assertThat(chats.get(1).parameters()).contains(orderId.toString(), SystemUnderTest.COURSE_ACCESS_URL);
    }

    @Test
    void anInvalidPhoneNumberShowsTheServersMessageOnTheField(SystemUnderTest system) {
        Customer customer = withPhone(system.customers().next(), "12345");
        openCheckout(system, PACKAGE);
        fill(customer);
        browser.findElement(By.id("pay")).click();

        WebElement error = new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("error-phone")));
        // what order-service says about this phone, asked directly with the same fields
        HttpAnswer answer = system.storefront().checkout(UUID.randomUUID().toString(), "storefront-browser-test",
                checkoutBody(PACKAGE, customer));
        assertThat(answer.status()).isEqualTo(400);
        JsonNode phoneError = null;
        for (JsonNode fieldError : answer.json().path("errors")) {
            if (fieldError.path("field").asText().equals("customer.phone")) {
                phoneError = fieldError;
            }
        }
        assertThat(phoneError).as("the server's errors: %s", answer.body()).isNotNull();
        assertThat(error.getText()).isEqualTo(phoneError.path("message").asText());
        assertThat(browser.findElement(By.id("phone")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("error-name")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("pay")).isEnabled()).as("the customer corrects the number and pays").isTrue();
        screenshot("invalid-phone");
        assertThat(ordersOf(system, customer)).isEmpty();
    }

    @Test
    void aDoubleClickOnPayMakesOneOrder(SystemUnderTest system) {
        Customer customer = system.customers().next();
        openCheckout(system, PACKAGE);
        fill(customer);
        new Actions(browser).doubleClick(browser.findElement(By.id("pay"))).perform();

        snapToken();
        List<UUID> orders = ordersOf(system, customer);
        assertThat(orders).hasSize(1);
        assertThat(system.simulator().transaction(orders.get(0).toString())).get()
                .satisfies(entry -> assertThat(entry.snapRequests()).isEqualTo(1));
        closePopup();
        assertThat(orderOnStatusPage()).isEqualTo(orders.get(0));
        waitForStatus("PENDING_PAYMENT", WAIT);
        assertThat(ordersOf(system, customer)).containsExactly(orders.get(0));
    }

    @Test
    void aSoldOutPackageSaysSoAndOffersNothingToPay(SystemUnderTest system) {
        String packageId = "kelas-habis-" + UUID.randomUUID().toString().substring(0, 8);
        system.addPackage(packageId, "Kelas Privat Penyutradaraan", 450_000, 0);

        browser.get(system.storefrontOrigin().toString());
        WebElement card = waitFor(By.cssSelector("[data-package='" + packageId + "']"));
        assertThat(card.getText()).contains("Kelas Privat Penyutradaraan", "Rp 450.000", "Habis terjual");
        assertThat(card.findElements(By.cssSelector("a, button"))).as("nothing to buy").isEmpty();
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'});", card);
        screenshot("sold-out-list");

        openCheckout(system, packageId);
        WebElement notice = new WebDriverWait(browser, WAIT).until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#notice[data-problem='sold-out']")));
        assertThat(notice.getText()).contains("habis terjual");
        assertThat(browser.findElements(By.id("checkout-form"))).isEmpty();
        assertThat(browser.findElements(By.id("pay"))).isEmpty();
        screenshot("sold-out-checkout");
    }

    @Test
    void closingSnapAndPayingAgainLaterUsesTheSamePayment(SystemUnderTest system) {
        Customer customer = system.customers().next();
        openCheckout(system, PACKAGE);
        fill(customer);
        browser.findElement(By.id("pay")).click();
        String firstToken = snapToken();
        closePopup();

        UUID orderId = orderOnStatusPage();
        waitForStatus("PENDING_PAYMENT", WAIT);
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"),
                "Halaman pembayaran ditutup"));
        screenshot("snap-closed");

        // later: the customer comes back to the order's page (the link Snap's finish URL and the mail lead to)
        browser.get(system.storefrontOrigin().resolve("/payment/finish?order_id=" + orderId).toString());
        waitForStatus("PENDING_PAYMENT", WAIT);
        waitFor(By.id("pay-again")).click();
        String secondToken = snapToken();
        assertThat(secondToken).as("the same Snap payment").isEqualTo(firstToken);
        payInPopup("pay");
        waitForStatus("PAID", PAYMENT_WAIT);

        LedgerEntry transaction = system.simulator().transaction(orderId.toString()).orElseThrow();
        assertThat(transaction.tokensIssued()).as("one Snap transaction for the order").isEqualTo(1);
        assertThat(transaction.status()).isEqualTo("settlement");
        assertThat(ordersOf(system, customer)).containsExactly(orderId);
    }

    @Test
    void aFailedPaymentShowsTheFailureAndTheCustomerTriesAgain(SystemUnderTest system) {
        Customer customer = system.customers().next();
        openCheckout(system, PACKAGE);
        fill(customer);
        browser.findElement(By.id("pay")).click();
        snapToken();
        payInPopup("deny");

        UUID failed = orderOnStatusPage();
        waitForStatus("FAILED", PAYMENT_WAIT);
        assertThat(browser.findElement(By.id("order")).getText()).contains("Pembayaran gagal");
        screenshot("failed");

        waitFor(By.id("try-again")).click();
        waitFor(By.id("checkout-form"));
        assertThat(browser.findElement(By.id("email")).getAttribute("value")).as("the details are kept").isEqualTo(customer.email());
        browser.findElement(By.id("pay")).click();
        snapToken();
        payInPopup("pay");
        UUID paid = orderOnStatusPage();
        waitForStatus("PAID", PAYMENT_WAIT);

        assertThat(paid).as("a new order: a new checkout attempt").isNotEqualTo(failed);
        assertThat(ordersOf(system, customer)).containsExactlyInAnyOrder(failed, paid);
        assertThat(system.storefront().order(failed.toString()).json().path("status").asText()).isEqualTo("FAILED");
    }

    // ---- what the customer does ------------------------------------------------------------------------------

    private static void openCheckout(SystemUnderTest system, String packageId) {
        browser.get(system.storefrontOrigin().resolve("/checkout?paket=" + packageId).toString());
    }

    private static void fill(Customer customer) {
        WebElement name = new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("name")));
        for (String[] field : new String[][] {{"name", customer.name()}, {"email", customer.email()}, {"phone", customer.phone()}}) {
            WebElement input = field[0].equals("name") ? name : browser.findElement(By.id(field[0]));
            input.clear();
            input.sendKeys(field[1]);
        }
    }

    /** Waits for Snap's popup and answers the token of the payment page it shows. */
    private static String snapToken() {
        WebElement frame = new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("snap-midtrans")));
        String source = frame.getAttribute("src");
        String path = URI.create(source).getPath();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.frameToBeAvailableAndSwitchToIt(frame));
        try {
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("button[name=action]")));
        } finally {
            browser.switchTo().defaultContent();
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Presses one of the simulator's buttons in the popup: pay, choose, deny or expire. */
    private static void payInPopup(String action) {
        WebElement frame = browser.findElement(By.id("snap-midtrans"));
        browser.switchTo().frame(frame);
        try {
            browser.findElement(By.cssSelector("button[name=action][value=" + action + "]")).click();
        } finally {
            browser.switchTo().defaultContent();
        }
    }

    private static void closePopup() {
        browser.findElement(By.id("snap-close")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(By.id("snap-midtrans")));
    }

    /** Waits until the browser is on an order's status page; answers its order id. */
    private static UUID orderOnStatusPage() {
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("/payment/finish?order_id="));
        String url = browser.getCurrentUrl();
        return UUID.fromString(url.substring(url.indexOf("order_id=") + "order_id=".length()).replaceAll("[&#].*", ""));
    }

    private static void waitForStatus(String status, Duration within) {
        new WebDriverWait(browser, within).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#order-status[data-status='" + status + "']")));
    }

    private static WebElement waitFor(By locator) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.elementToBeClickable(locator));
    }

    private void screenshot(String step) {
        Path file = SCREENSHOTS.resolve(String.format(Locale.ROOT, "%02d-%s-%s.png", STEP.incrementAndGet(), test, step));
        try {
            Files.write(file, ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- what the system holds ---------------------------------------------------------------------------------

    /** The customer's orders in order-service's database, oldest first. */
    private static List<UUID> ordersOf(SystemUnderTest system, Customer customer) {
        try (Connection connection = system.connect(); PreparedStatement query = connection.prepareStatement(
                "select id from orders.customer_order where lower(customer_email) = lower(?) order by created_at, id")) {
            query.setString(1, customer.email());
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the orders of " + customer.email(), e);
        }
    }

    private static Customer withPhone(Customer customer, String phone) {
        return new Customer(customer.name(), customer.email(), phone);
    }

    private static String checkoutBody(String packageId, Customer customer) {
        return "{\"packageId\":\"" + packageId + "\",\"customer\":{\"name\":\"" + customer.name() + "\",\"email\":\""
                + customer.email() + "\",\"phone\":\"" + customer.phone() + "\"}}";
    }

    private static String executable(String variable, String fallback) {
        String given = System.getenv(variable);
        return given == null || given.isBlank() ? fallback : given;
    }
}
