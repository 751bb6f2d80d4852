package dev.headwater.encode;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** Starts {@link FakeProcess}es instead of FFmpeg and remembers each launch. */
final class FakeLauncher implements ProcessLauncher {
  record Launch(String label, List<String> args, FakeProcess process) {}

  private final ManualScheduler scheduler;
  final List<Launch> launches = new ArrayList<>();
  boolean failNext;

  FakeLauncher(ManualScheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public Future<EncoderProcess> launch(
      String label, List<String> args, EncoderProcess.Events events) {
    if (failNext) {
      failNext = false;
      return Future.failedFuture("cannot run program");
    }
    FakeProcess p = new FakeProcess(1000 + launches.size(), events, scheduler);
    launches.add(new Launch(label, args, p));
    return Future.succeededFuture(p);
  }

  FakeProcess last() {
    return launches.get(launches.size() - 1).process();
  }

  int count() {
    return launches.size();
  }
}
