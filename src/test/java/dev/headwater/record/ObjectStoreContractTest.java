package dev.headwater.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.record.ObjectStore.StoredObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * What every {@link ObjectStore} promises, checked against each backend: {@link LocalDiskStore} on
 * a temporary directory and {@link S3Store} on a real S3 API server (s3proxy, signatures checked)
 * on loopback. Each case gets a fresh, empty store: a new directory, or a new key prefix on the
 * shared bucket. Backend-specific behaviour (S3 prefixes, errors, timeouts) follows the contract.
 */
class ObjectStoreContractTest {
  private static final AtomicInteger STORES = new AtomicInteger();

  /** Short limits for the failure cases, so that a dead server fails a call in seconds. */
  private static final S3Store.Limits QUICK =
      new S3Store.Limits(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5), 2);

  @TempDir static Path tempRoot;

  private static S3ProxyServer s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.start("contract");
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  /** One backend under test; {@code open} gives a fresh, empty store each time. */
  record Backend(String name, StoreFactory factory) {
    ObjectStore open() throws IOException {
      return factory.open();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  interface StoreFactory {
    ObjectStore open() throws IOException;
  }

  static Stream<Backend> backends() {
    return Stream.of(
        new Backend(
            "local disk",
            () -> new LocalDiskStore(tempRoot.resolve("store-" + STORES.incrementAndGet()))),
        new Backend(
            "s3",
            () -> new S3Store(s3.settings("case-" + STORES.incrementAndGet()), s3.credentials())));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  // ---- the contract ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void getsBackWhatWasPut(Backend backend) throws Exception {
    try (ObjectStore store = backend.open()) {
      byte[] segment = random(188 * 1000, 1);
      store.put("cam/720p/seg-1.m4s", segment);
      assertArrayEquals(segment, store.get("cam/720p/seg-1.m4s"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void roundTripsAFiveMegabyteObject(Backend backend) throws Exception {
    try (ObjectStore store = backend.open()) {
      byte[] big = random(5 * 1024 * 1024, 5);
      store.put("big.m4s", big);
      assertArrayEquals(big, store.get("big.m4s"));
      assertEquals(List.of(new StoredObject("big.m4s", big.length)), store.list(""));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void roundTripsAnEmptyObject(Backend backend) throws Exception {
    try (ObjectStore store = backend.open()) {
      store.put("empty", new byte[0]);
      byte[] back = store.get("empty");
      assertNotNull(back, "an empty object is present, not absent");
      assertEquals(0, back.length);
      assertEquals(List.of(new StoredObject("empty", 0)), store.list(""));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void getOfAMissingKeyIsNull(Backend backend) throws Exception {
    try (ObjectStore store = backend.open()) {
      assertNull(store.get("never/put"));
      store.put("other", utf8("x"));
      assertNull(store.get("never/put"));
      assertNull(store.get("othe"), "a key's prefix is not the key");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void putReplacesAnExistingObject(Backend backend) throws Exception {
    try (ObjectStore store = backend.open()) {
      store.put("k", utf8("first version, longer"));
      store.put("k", utf8("second"));
      assertArrayEquals(utf8("second"), store.get("k"));
      assertEquals(List.of(new StoredObject("k", 6)), store.list(""));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void listsByPrefixInKeyOrderWithSizes(Backend backend) throws Exception {
    try (ObjectStore store = backend.open()) {
      store.put("a/2", utf8("22"));
      store.put("b/1", utf8("b"));
      store.put("a/10", utf8("101010"));
      store.put("ab", utf8("ab!"));
      store.put("a/1", utf8("1"));

      assertEquals(
          List.of(
              new StoredObject("a/1", 1), new StoredObject("a/10", 6), new StoredObject("a/2", 2)),
          store.list("a/"));
      assertEquals(
          List.of(
              new StoredObject("a/1", 1),
              new StoredObject("a/10", 6),
              new StoredObject("a/2", 2),
              new StoredObject("ab", 3)),
          store.list("a"));
      assertEquals(
          List.of("a/1", "a/10", "a/2", "ab", "b/1"),
          store.list("").stream().map(StoredObject::key).toList());
      assertEquals(List.of(), store.list("c/"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void listsMoreThanOnePageOfObjects(Backend backend) throws Exception {
    // S3 returns at most 1,000 keys per ListObjectsV2 call: 1,050 needs a second page.
    int count = 1050;
    try (ObjectStore store = backend.open()) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> puts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          String key = "many/seg-%05d.m4s".formatted(i);
          byte[] bytes = utf8(Integer.toString(i));
          puts.add(
              pool.submit(
                  () -> {
                    store.put(key, bytes);
                    return null;
                  }));
        }
        for (Future<?> put : puts) {
          put.get();
        }
      } finally {
        pool.shutdownNow();
      }
      store.put("other/x", utf8("x"));

      List<StoredObject> listed = store.list("many/");
      assertEquals(count, listed.size());
      for (int i = 0; i < count; i++) {
        assertEquals(
            new StoredObject("many/seg-%05d.m4s".formatted(i), Integer.toString(i).length()),
            listed.get(i));
      }
      assertEquals(count + 1, store.list("").size());

      if (store instanceof S3Store) {
        // The premise: this server really pages at 1,000 keys, so the store followed a
        // continuation token to list them all.
        try (S3Client raw = rawClient()) {
          ListObjectsV2Response first = raw.listObjectsV2(b -> b.bucket(s3.bucket()));
          assertTrue(first.isTruncated());
          assertEquals(1000, first.keyCount());
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void deleteRemovesTheObjectAndAbsentIsNoError(Backend backend) throws Exception {
    try (ObjectStore store = backend.open()) {
      store.put("rec/seg-1", utf8("one"));
      store.put("rec/seg-2", utf8("two"));
      store.delete("rec/seg-1");
      assertNull(store.get("rec/seg-1"));
      assertEquals(List.of(new StoredObject("rec/seg-2", 3)), store.list(""));

      store.delete("rec/seg-1");
      store.delete("never-there");
      store.delete("rec/seg-2");
      assertEquals(List.of(), store.list(""));
    }
  }

  /** A key under a "directory" that never existed: still absent, still no error. */
  private static void deletesAKeyUnderAnAbsentPath(ObjectStore store) throws Exception {
    store.put("rec/seg-1", utf8("one"));
    store.delete("never/there/seg-1");
    store.delete("rec/never/seg-1");
    assertEquals(List.of(new StoredObject("rec/seg-1", 3)), store.list(""));
  }

  @Test
  void s3DeletesAKeyUnderAnAbsentPath() throws Exception {
    try (ObjectStore store = new S3Store(s3.settings("absent-path"), s3.credentials())) {
      deletesAKeyUnderAnAbsentPath(store);
    }
  }

  @Test
  void localDiskDeletesAKeyUnderAnAbsentPath() throws Exception {
    try (ObjectStore store = new LocalDiskStore(tempRoot.resolve("absent-path"))) {
      deletesAKeyUnderAnAbsentPath(store);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void keepsKeysWithNestedSlashesApart(Backend backend) throws Exception {
    try (ObjectStore store = backend.open()) {
      store.put("live/cam1/session-7/720p/init.mp4", utf8("init720"));
      store.put("live/cam1/session-7/720p/seg-00001.m4s", utf8("seg"));
      store.put("live/cam1/session-7/audio/seg-00001.m4s", utf8("audio"));
      store.put("live/cam10/session-1/720p/seg-00001.m4s", utf8("other stream"));

      assertArrayEquals(utf8("init720"), store.get("live/cam1/session-7/720p/init.mp4"));
      assertArrayEquals(utf8("audio"), store.get("live/cam1/session-7/audio/seg-00001.m4s"));
      assertEquals(
          List.of(
              "live/cam1/session-7/720p/init.mp4",
              "live/cam1/session-7/720p/seg-00001.m4s",
              "live/cam1/session-7/audio/seg-00001.m4s"),
          store.list("live/cam1/").stream().map(StoredObject::key).toList());

      store.delete("live/cam1/session-7/720p/init.mp4");
      store.delete("live/cam1/session-7/720p/seg-00001.m4s");
      assertEquals(
          List.of("live/cam1/session-7/audio/seg-00001.m4s"),
          store.list("live/cam1/").stream().map(StoredObject::key).toList());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void refusesKeysThatLeaveTheStore(Backend backend) throws Exception {
    try (ObjectStore store = backend.open()) {
      for (String key : List.of("../x", "a/../../x", "/abs", "")) {
        assertThrows(IOException.class, () -> store.put(key, utf8("escape")), key);
        assertThrows(IOException.class, () -> store.get(key), key);
        assertThrows(IOException.class, () -> store.delete(key), key);
      }
      assertEquals(List.of(), store.list(""));
    }
  }

  // ---- local disk ----

  @Test
  void localDiskWritesNothingOutsideItsRoot() throws Exception {
    Path parent = Files.createDirectories(tempRoot.resolve("escape-" + STORES.incrementAndGet()));
    try (ObjectStore store = new LocalDiskStore(parent.resolve("root"))) {
      assertThrows(IOException.class, () -> store.put("../x", utf8("escape")));
      assertThrows(
          IOException.class, () -> store.put(parent.resolve("abs").toString(), utf8("escape")));
      assertThrows(IOException.class, () -> store.put("a/../../y", utf8("escape")));
    }
    try (Stream<Path> files = Files.list(parent)) {
      assertEquals(List.of(parent.resolve("root")), files.toList());
    }
    assertFalse(Files.exists(parent.resolve("abs")));
  }

  // ---- s3 ----

  @Test
  void s3PrefixKeepsTwoStoresOnOneBucketApart() throws Exception {
    try (S3Store first = new S3Store(s3.settings("iso/first"), s3.credentials());
        S3Store second = new S3Store(s3.settings("iso/second/"), s3.credentials());
        S3Store whole = new S3Store(s3.settings("iso"), s3.credentials())) {
      first.put("rec/seg-1", utf8("first"));
      second.put("rec/seg-1", utf8("second, longer"));

      assertArrayEquals(utf8("first"), first.get("rec/seg-1"));
      assertArrayEquals(utf8("second, longer"), second.get("rec/seg-1"));
      assertEquals(List.of(new StoredObject("rec/seg-1", 5)), first.list(""));
      assertEquals(List.of(new StoredObject("rec/seg-1", 14)), second.list(""));
      // The keys really sit under each prefix in the bucket, and come back without it.
      assertEquals(
          List.of(new StoredObject("first/rec/seg-1", 5), new StoredObject("second/rec/seg-1", 14)),
          whole.list(""));

      first.delete("rec/seg-1");
      assertNull(first.get("rec/seg-1"));
      assertArrayEquals(utf8("second, longer"), second.get("rec/seg-1"));
    }
  }

  @Test
  void s3DescribesBucketEndpointAndPrefix() {
    try (S3Store store = new S3Store(s3.settings("recordings"), s3.credentials())) {
      assertEquals(
          "s3 bucket contract at " + s3.endpoint() + " prefix recordings/", store.describe());
    }
    try (S3Store store =
        new S3Store(
            new S3Store.Settings("", "b", "", "eu-west-1", false),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("id", "secret")))) {
      assertEquals("s3 bucket b at AWS region eu-west-1 prefix (none)", store.describe());
    }
  }

  @Test
  void s3SettingsRejectWhatCannotWork() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new S3Store.Settings("minio:9000", "b", "", "us-east-1", true));
    assertThrows(
        IllegalArgumentException.class,
        () -> new S3Store.Settings("http://minio:9000", " ", "", "us-east-1", true));
    assertThrows(
        IllegalArgumentException.class,
        () -> new S3Store.Settings("http://minio:9000", "b", "/abs", "us-east-1", true));
    assertThrows(
        IllegalArgumentException.class,
        () -> new S3Store.Settings("http://minio:9000", "b", "", "", true));
    assertEquals("p/", new S3Store.Settings("", "b", "p", "us-east-1", true).prefix());
  }

  @Test
  void s3MissingBucketIsReportedAndEnsureBucketCreatesIt() throws Exception {
    S3Store.Settings settings =
        new S3Store.Settings(
            s3.endpoint().toString(), "made-on-demand", "", S3ProxyServer.REGION, true);
    try (S3Store store = new S3Store(settings, s3.credentials())) {
      // Asked with a request without a body: a put's answer can race the body it is still
      // sending (the server answers 404 and closes), and the JDK client then reports the write.
      IOException missing = assertThrows(IOException.class, () -> store.list(""));
      assertTrue(
          missing.getMessage().contains("made-on-demand")
              && missing.getMessage().contains("does not exist"),
          missing.getMessage());
      assertNotNull(missing.getCause());
      assertThrows(IOException.class, () -> store.put("k", utf8("v")));

      assertTrue(store.ensureBucket(), "created");
      assertFalse(store.ensureBucket(), "already there");
      store.put("k", utf8("v"));
      assertArrayEquals(utf8("v"), store.get("k"));
    }
  }

  @Test
  void s3WrongCredentialsAreAccessDenied() throws Exception {
    try (S3Store store =
        new S3Store(
            s3.settings("denied"),
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3ProxyServer.IDENTITY, "not-the-secret")))) {
      IOException denied = assertThrows(IOException.class, () -> store.put("k", utf8("v")));
      assertTrue(denied.getMessage().contains("access denied"), denied.getMessage());
      assertTrue(denied.getMessage().contains("contract"), denied.getMessage());
      assertThrows(IOException.class, () -> store.get("k"));
    }
  }

  @Test
  void s3FromEnvironmentSignsWithTheDefaultCredentialsChain() throws Exception {
    // The chain's first link reads the aws.accessKeyId / aws.secretAccessKey system properties,
    // the second AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, which a test cannot set.
    String id = System.getProperty("aws.accessKeyId");
    String secret = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
    try (S3Store store = S3Store.fromEnvironment(s3.settings("from-environment"))) {
      store.put("k", utf8("v"));
      assertArrayEquals(utf8("v"), store.get("k"));
    } finally {
      restore("aws.accessKeyId", id);
      restore("aws.secretAccessKey", secret);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  @Test
  void s3StoppedEndpointFailsWithIoExceptionAndDoesNotHang() throws Exception {
    S3ProxyServer doomed = S3ProxyServer.start("doomed");
    try (S3Store store = new S3Store(doomed.settings(""), doomed.credentials(), QUICK)) {
      store.put("k", utf8("v"));
      doomed.stop();
      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () -> {
            for (var call :
                List.<ThrowingCall>of(
                    () -> store.put("k", utf8("v")),
                    () -> store.get("k"),
                    () -> store.list(""),
                    () -> store.delete("k"))) {
              IOException e = assertThrows(IOException.class, call::run);
              assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
              assertTrue(e.getMessage().contains(doomed.endpoint().toString()), e.getMessage());
            }
          });
    } finally {
      doomed.close();
    }
  }

  @Test
  void s3SilentEndpointTimesOutWithIoException() throws Exception {
    // Accepts connections and never answers: only the socket and call timeouts end the wait.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              },
              "silent-s3");
      acceptor.setDaemon(true);
      acceptor.start();
      S3Store.Settings settings =
          new S3Store.Settings(
              "http://127.0.0.1:" + silent.getLocalPort(), "b", "", S3ProxyServer.REGION, true);
      try (S3Store store = new S3Store(settings, s3.credentials(), QUICK)) {
        long start = System.nanoTime();
        IOException e =
            assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> assertThrows(IOException.class, () -> store.get("k")));
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(seconds <= 10, "took " + seconds + " s");
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
      } finally {
        silent.close();
        for (Socket s : accepted) {
          s.close();
        }
      }
    }
  }

  private static S3Client rawClient() {
    return S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.of(S3ProxyServer.REGION))
        .credentialsProvider(s3.credentials())
        .forcePathStyle(true)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  interface ThrowingCall {
    void run() throws Exception;
  }
}
