package dev.headwater.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {
  private final RestartPolicy policy = new RestartPolicy(3, 500, 3000, 60_000);

  @Test
  void doublesTheDelayUpToTheMaximum() {
    assertEquals(500, policy.onUnexpectedExit(10));
    assertEquals(1000, policy.onUnexpectedExit(10));
    assertEquals(2000, policy.onUnexpectedExit(10));
  }

  @Test
  void givesUpAfterMaxRestartsInARow() {
    for (int i = 0; i < 3; i++) {
      policy.onUnexpectedExit(1000);
    }
    assertEquals(RestartPolicy.GIVE_UP, policy.onUnexpectedExit(1000));
  }

  @Test
  void aHealthyRunStartsTheCountAgain() {
    policy.onUnexpectedExit(10);
    policy.onUnexpectedExit(10);
    policy.onUnexpectedExit(10);
    assertEquals(500, policy.onUnexpectedExit(60_000));
    assertEquals(1, policy.consecutiveFailures());
  }

  @Test
  void capsAtTheMaximum() {
    RestartPolicy p = new RestartPolicy(100, 500, 3000, 60_000);
    long last = 0;
    for (int i = 0; i < 50; i++) {
      last = p.onUnexpectedExit(1);
    }
    assertEquals(3000, last);
  }
}
