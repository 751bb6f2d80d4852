import dev.headwater.record.LocalDiskStore;
import dev.headwater.record.ObjectStore;
import dev.headwater.record.S3Store;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Upload throughput of the recording backends, measured in one run: Headwater's S3Store against a
 * real S3 API (s3proxy on loopback, storing on this machine's disk through jclouds' filesystem
 * provider), and LocalDiskStore on the same disk as the reference. Objects are segment-sized
 * (random bytes, so nothing compresses), put by THREADS threads (the recorder uses one).
 *
 * <p>Usage: java -cp TEST_CLASSPATH:target/classes loadtest/bench/S3Upload.java [OBJECTS] [KB]
 * [THREADS]
 */
public class S3Upload {
  public static void main(String[] args) throws Exception {
    int objects = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int kb = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Path work = Files.createTempDirectory("s3upload");
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", work.resolve("s3").toString());
    BlobStoreContext context =
        ContextBuilder.newBuilder("filesystem")
            .credentials("bench-identity", "bench-credential")
            .overrides(props)
            .build(BlobStoreContext.class);
    context.getBlobStore().createContainerInLocation(null, "recordings");
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "bench-identity", "bench-credential")
            .endpoint(URI.create("http://127.0.0.1:0"))
            .build();
    proxy.start();
    try (S3Store s3 =
            new S3Store(
                new S3Store.Settings(
                    "http://127.0.0.1:" + proxy.getPort(), "recordings", "bench/", "us-east-1", true),
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("bench-identity", "bench-credential")));
        LocalDiskStore local = new LocalDiskStore(work.resolve("local"))) {
      byte[] payload = new byte[kb * 1024];
      new Random(1).nextBytes(payload);
      System.out.printf(
          "date: %s  machine: %d cores; %d objects of %d KB, %d thread(s)%n",
          java.time.Instant.now(), Runtime.getRuntime().availableProcessors(), objects, kb, threads);
      // Alternate the two, twice, so neither gets the warmer half of the run.
      double[] localMbps = new double[2];
      double[] s3Mbps = new double[2];
      for (int round = 0; round < 2; round++) {
        localMbps[round] = measure("local disk", local, payload, objects, threads, round);
        s3Mbps[round] = measure("S3 (s3proxy)", s3, payload, objects, threads, round);
      }
      double l = Math.max(localMbps[0], localMbps[1]);
      double s = Math.max(s3Mbps[0], s3Mbps[1]);
      System.out.printf(
          "best: local %.1f MB/s, S3 %.1f MB/s; S3 / local = %.2f; one 2 s group of the default"
              + " ladder (~1.9 MB) stores in %.0f ms over S3%n",
          l, s, s / l, 1.9 / s * 1000);
    } finally {
      proxy.stop();
      context.close();
    }
  }

  private static double measure(
      String what, ObjectStore store, byte[] payload, int objects, int threads, int round)
      throws Exception {
    for (int i = 0; i < 20; i++) {
      store.put("warm/" + round + "/" + i, payload);
    }
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t0 = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                for (int i; (i = next.getAndIncrement()) < objects; ) {
                  long s = System.nanoTime();
                  store.put("r" + round + "/s" + i + ".m4s", payload);
                  latencies.add(System.nanoTime() - s);
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    Collections.sort(latencies);
    double mbps = objects * (double) payload.length / (1024 * 1024) / seconds;
    System.out.printf(
        "round %d %-13s %7.1f MB/s %7.1f puts/s  put p50 %6.1f ms  p99 %6.1f ms%n",
        round + 1,
        what,
        mbps,
        objects / seconds,
        latencies.get(latencies.size() / 2) / 1e6,
        latencies.get((int) (latencies.size() * 0.99)) / 1e6);
    return mbps;
  }
}
