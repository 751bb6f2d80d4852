package dev.headwater.it;

import dev.headwater.record.S3ProxyServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordingIT}'s scenario with recordings in an S3 bucket: a real S3 API (s3proxy) on
 * loopback, the origin signing with credentials it takes from the environment's chain (here the
 * aws.accessKeyId / aws.secretAccessKey system properties, as AWS_ACCESS_KEY_ID would be in
 * production), and nothing on local disk.
 */
class S3RecordingIT {
  private S3ProxyServer s3;

  @BeforeEach
  void startS3() throws Exception {
    s3 = S3ProxyServer.start("recordings");
    System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
  }

  @AfterEach
  void stopS3() throws Exception {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    s3.close();
  }

  @Test
  void recordsToS3AndReplaysAfterARestart() throws Exception {
    JsonObject recording =
        new JsonObject()
            .put("backend", "s3")
            .put(
                "s3",
                new JsonObject()
                    .put("endpoint", s3.endpoint().toString())
                    .put("bucket", s3.bucket())
                    .put("prefix", "origin-1/")
                    .put("region", S3ProxyServer.REGION)
                    .put("pathStyle", true));
    RecordingIT.replayAfterRestart(
        RecordingIT.config(Path.of("target", "it-s3-" + System.nanoTime()), recording));
  }
}
