package dev.headwater.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test class during which Netty reported a leaked buffer ("LEAK:"), so that a leak fails
 * the build instead of scrolling past in a log. Registered for every test class, unit (surefire)
 * and integration (failsafe) alike, by JUnit's extension autodetection ({@code
 * junit-platform.properties} and {@code META-INF/services} in src/test/resources).
 *
 * <p>After each class it collects the garbage and asks Netty to look ({@link
 * NettyLeakWatch#collect}), so a leak is blamed on the class that made it. That costs one full
 * garbage collection per test class.
 */
public final class FailOnNettyLeak implements BeforeAllCallback, AfterAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    NettyLeakWatch.install();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> leaks = NettyLeakWatch.collect();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          "Netty reported "
              + leaks.size()
              + " leak(s) by the end of "
              + context.getDisplayName()
              + "; the first:\n"
              + leaks.get(0));
    }
  }
}
