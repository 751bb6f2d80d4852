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

  /**
   * Names the storage {@code config} records to, so that two origins of a cluster can tell they
   * share it: the bucket and prefix (with the endpoint) for S3; the directory on this host ({@code
   * host}: the origin's cluster address) for local disk.
   */
  public static String identity(HeadwaterConfig config, String host) {
    HeadwaterConfig.Recording r = config.recording();
    if (r.backend().equals("s3")) {
      HeadwaterConfig.S3 s3 = r.s3();
      return "s3:" + s3.endpoint() + "/" + s3.bucket() + "/" + s3.prefix();
    }
    Path dir =
        r.directory().isEmpty() ? Path.of(config.dataDir(), "recordings") : Path.of(r.directory());
    return "local:" + host + ":" + dir.toAbsolutePath().normalize();
  }
}
