package dev.headwater.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium for browser tests: no sandbox (root in CI), no background networking,
 * sync or component updates (the machine has no outside network), autoplay allowed, a fresh
 * profile.
 */
final class Browser {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String DRIVER = "/usr/bin/chromedriver";

  private Browser() {}

  /**
   * A new driver; outside CI a machine without Chromium skips the test, in CI that is a failure.
   */
  static ChromeDriver start() throws Exception {
    boolean installed = new File(CHROMIUM).canExecute() && new File(DRIVER).canExecute();
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(
          installed, "chromium and chromium-driver not installed (CI installs them)");
    }
    assertTrue(installed, "CI must install chromium and chromium-driver (see .ci/run)");
    Path profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--autoplay-policy=no-user-gesture-required",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).build();
    return new ChromeDriver(service, options);
  }
}
