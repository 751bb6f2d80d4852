package dev.headwater.it;

import dev.headwater.encode.FfmpegLocator;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Three origin processes of one cluster ({@link OriginCluster}) for a test class: started before
 * its tests, stopped after them. A subclass says how ({@link #startCluster}: its cluster name, its
 * own Hazelcast ports, its settings) and uses the origins, FFmpeg and an HTTP/1.1 client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ThreeOrigins {
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  OriginCluster cluster;
  OriginProcess a;
  OriginProcess b;
  OriginProcess c;
  String ffmpeg;

  abstract OriginCluster startCluster() throws Exception;

  @BeforeAll
  void startOrigins() throws Exception {
    ffmpeg = FfmpegLocator.ffmpeg("");
    cluster = startCluster();
    a = cluster.a;
    b = cluster.b;
    c = cluster.c;
  }

  @AfterAll
  void stopOrigins() {
    if (cluster != null) {
      cluster.close();
    }
  }
}
