package dev.headwater.record;

import dev.headwater.config.HeadwaterConfig;
import java.io.IOException;
import java.nio.file.Path;

/** The {@link ObjectStore} {@code recording.backend} names. Blocking: call it on a worker. */
public final class RecordingStores {
  private RecordingStores() {}

  public static ObjectStore open(HeadwaterConfig config) throws IOException {
    HeadwaterConfig.Recording r = config.recording();
    if (r.backend().equals("s3")) {
      HeadwaterConfig.S3 s3 = r.s3();
      return S3Store.fromEnvironment(
          new S3Store.Settings(
              s3.endpoint(), s3.bucket(), s3.prefix(), s3.region(), s3.pathStyle()));
    }
    Path dir =
        r.directory().isEmpty() ? Path.of(config.dataDir(), "recordings") : Path.of(r.directory());
    return new LocalDiskStore(dir);
  }
}
