package dev.headwater.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigTest {
  private static Vertx vertx;

  @TempDir Path tmp;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static ConfigException awaitFailure(Future<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(future));
    return assertInstanceOf(ConfigException.class, e.getCause());
  }

  private Path yaml(String text) throws Exception {
    Path file = tmp.resolve("headwater.yaml");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void shippedYamlEqualsCodeDefaults() throws Exception {
    HeadwaterConfig loaded =
        await(ConfigLoader.load(vertx, Path.of("conf/headwater.yaml"), Map.of()));
    assertEquals(HeadwaterConfig.defaults(), loaded);
  }

  @Test
  void noFileAndNoEnvGivesDefaults() throws Exception {
    assertEquals(HeadwaterConfig.defaults(), await(ConfigLoader.load(vertx, null, Map.of())));
  }

  @Test
  void yamlValuesOverrideDefaultsAndMissingKeysKeepThem() throws Exception {
    HeadwaterConfig c =
        await(
            ConfigLoader.load(
                vertx, yaml("http:\n  port: 9090\nhls:\n  windowSegments: 12\n"), Map.of()));
    assertEquals(9090, c.http().port());
    assertEquals(12, c.hls().windowSegments());
    assertEquals(HeadwaterConfig.defaults().http().host(), c.http().host());
    assertEquals(HeadwaterConfig.defaults().ladder(), c.ladder());
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of(
            "keyframe interval not a whole number of parts",
            "{\"ffmpeg\":{\"keyframeIntervalSeconds\":0.5}}",
            "ffmpeg.keyframeIntervalSeconds: must be 0 (one keyframe per segment) or a multiple of hls.partTargetSeconds (0.2) that divides hls.segmentTargetSeconds (2.0), got 0.5"),
        Arguments.of(
            "keyframe interval that does not divide the segment",
            "{\"ffmpeg\":{\"keyframeIntervalSeconds\":0.6}}",
            "ffmpeg.keyframeIntervalSeconds: must be 0 (one keyframe per segment) or a multiple of hls.partTargetSeconds (0.2) that divides hls.segmentTargetSeconds (2.0), got 0.6"),
        Arguments.of(
            "start variant not in the ladder",
            "{\"hls\":{\"startVariant\":\"1080p\"}}",
            "hls.startVariant: must be empty, \"source\" or the name of a ladder rung (got '1080p')"),
        Arguments.of(
            "negative reconnect grace",
            "{\"ingest\":{\"reconnectGraceSeconds\":-1}}",
            "ingest.reconnectGraceSeconds: must be between 0 and 600 (got -1.0)"),
        Arguments.of(
            "http.port 70000",
            "{\"http\":{\"port\":70000}}",
            "http.port: must be between 0 and 65535 (got 70000)"),
        Arguments.of(
            "unknown key http.prot", "{\"http\":{\"prot\":8080}}", "http.prot: unknown key"),
        Arguments.of("unknown top-level key", "{\"htp\":{}}", "htp: unknown key"),
        Arguments.of(
            "rtmp.app with a slash",
            "{\"rtmp\":{\"app\":\"live/x\"}}",
            "rtmp.app: must be 1-64 characters of letters, digits, '-' or '_', starting with a letter or digit (got 'live/x')"),
        Arguments.of(
            "ladder rung with odd height",
            "{\"ladder\":[{\"name\":\"720p\",\"height\":721,\"videoBitrateKbps\":2800,\"maxBitrateKbps\":3000}]}",
            "ladder[0].height: must be even (H.264 4:2:0), got 721"),
        Arguments.of(
            "duplicate rung names",
            "{\"ladder\":[{\"name\":\"hd\",\"height\":720},{\"name\":\"hd\",\"height\":480}]}",
            "ladder[1].name: 'hd' is used twice or reserved"),
        Arguments.of(
            "rung named audio",
            "{\"ladder\":[{\"name\":\"audio\",\"height\":720}]}",
            "ladder[0].name: 'audio' is used twice or reserved"),
        Arguments.of(
            "unknown key inside a rung",
            "{\"ladder\":[{\"name\":\"hd\",\"heigth\":720}]}",
            "ladder[0].heigth: unknown key"),
        Arguments.of("empty ladder", "{\"ladder\":[]}", "ladder: must list at least one rung"),
        Arguments.of(
            "hls.partHoldBackParts 2",
            "{\"hls\":{\"partHoldBackParts\":2}}",
            "hls.partHoldBackParts: must be between 3 and 20 (got 2)"),
        Arguments.of(
            "hls.windowSegments 3",
            "{\"hls\":{\"windowSegments\":3}}",
            "hls.windowSegments: must be between 6 and 10000 (got 3)"),
        Arguments.of(
            "hls.skipBoundarySeconds 5",
            "{\"hls\":{\"skipBoundarySeconds\":5}}",
            "hls.skipBoundarySeconds: must be 0 (no delta updates) or at least 6 target durations (12), got 5.0"),
        Arguments.of(
            "ffmpeg.preset slowest",
            "{\"ffmpeg\":{\"preset\":\"slowest\"}}",
            "ffmpeg.preset: must be one of ultrafast, superfast, veryfast, faster, fast, medium (got 'slowest')"),
        Arguments.of(
            "transport unknown",
            "{\"transport\":\"dpdk\"}",
            "transport: must be one of auto, epoll, io_uring, nio (got 'dpdk')"),
        Arguments.of(
            "string where a whole number is expected",
            "{\"http\":{\"port\":\"eighty\"}}",
            "http.port: must be a whole number (got eighty)"),
        Arguments.of(
            "fraction where a whole number is expected",
            "{\"http\":{\"port\":80.5}}",
            "http.port: must be a whole number (got 80.5)"),
        Arguments.of(
            "string where a number is expected",
            "{\"hls\":{\"partTargetSeconds\":\"fast\"}}",
            "hls.partTargetSeconds: must be a number (got fast)"),
        Arguments.of(
            "scalar where a section is expected",
            "{\"http\":8080}",
            "http: must be a mapping of keys"),
        Arguments.of(
            "tls cert without key",
            "{\"http\":{\"tlsCertPath\":\"/etc/headwater/cert.pem\"}}",
            "http.tlsCertPath/http.tlsKeyPath: set both to enable TLS, or neither"),
        Arguments.of(
            "CORS origin with a path",
            "{\"http\":{\"corsOrigin\":\"https://a.example/player\"}}",
            "http.corsOrigin: must be \"*\" or origins such as https://player.example separated by commas (got 'https://a.example/player')"),
        Arguments.of(
            "CORS wildcard inside a list",
            "{\"http\":{\"corsOrigin\":\"https://a.example, *\"}}",
            "http.corsOrigin: must be \"*\" or origins such as https://player.example separated by commas (got 'https://a.example, *')"),
        Arguments.of(
            "CORS origin empty",
            "{\"http\":{\"corsOrigin\":\"\"}}",
            "http.corsOrigin: must be \"*\" or origins such as https://player.example separated by commas (got '')"),
        Arguments.of(
            "trusted client given by name",
            "{\"http\":{\"trustedClients\":[\"10.0.0.0/8\",\"cdn.example.com\"]}}",
            "http.trustedClients[1]: not an IP address or CIDR block (got 'cdn.example.com')"),
        Arguments.of(
            "trusted clients not a list",
            "{\"http\":{\"trustedClients\":\"10.0.0.0/8\"}}",
            "http.trustedClients: must be a list"),
        Arguments.of(
            "trusted client prefix too long",
            "{\"http\":{\"trustedClients\":[\"10.0.0.0/40\"]}}",
            "http.trustedClients[0]: prefix length must be between 0 and 32 (got '10.0.0.0/40')"),
        Arguments.of(
            "no waiter per client",
            "{\"http\":{\"maxWaitersPerClient\":0}}",
            "http.maxWaitersPerClient: must be between 1 and 1000000 (got 0)"),
        Arguments.of(
            "no waiter per connection",
            "{\"http\":{\"maxWaitersPerConnection\":0}}",
            "http.maxWaitersPerConnection: must be between 1 and 100000 (got 0)"),
        Arguments.of(
            "waiter bytes below a MiB",
            "{\"http\":{\"maxWaiterBytes\":1000}}",
            "http.maxWaiterBytes: must be between 1048576 and 2147483647 (got 1000)"),
        Arguments.of(
            "write budget too small",
            "{\"http\":{\"writeBufferBytes\":1000}}",
            "http.writeBufferBytes: must be between 16384 and 67108864 (got 1000)"),
        Arguments.of(
            "write stall of 0 s",
            "{\"http\":{\"writeStallSeconds\":0}}",
            "http.writeStallSeconds: must be between 1.0 and 600.0 seconds (got 0.0)"),
        Arguments.of(
            "header timeout of half a second",
            "{\"http\":{\"requestHeaderTimeoutSeconds\":0.5}}",
            "http.requestHeaderTimeoutSeconds: must be between 1.0 and 600.0 seconds (got 0.5)"),
        Arguments.of(
            "request line limit too small",
            "{\"http\":{\"maxInitialLineLength\":100}}",
            "http.maxInitialLineLength: must be between 256 and 65536 (got 100)"),
        Arguments.of(
            "header size limit too small",
            "{\"http\":{\"maxHeaderSize\":100}}",
            "http.maxHeaderSize: must be between 1024 and 1048576 (got 100)"),
        Arguments.of(
            "HTTP/2 header list limit too small",
            "{\"http\":{\"maxHeaderListSize\":100}}",
            "http.maxHeaderListSize: must be between 1024 and 1048576 (got 100)"),
        Arguments.of(
            "metrics on the public port",
            "{\"http\":{\"port\":9180}}",
            "metrics.port: must differ from http.port (both 9180)"),
        Arguments.of(
            "metrics host blank",
            "{\"metrics\":{\"host\":\" \"}}",
            "metrics.host: must name an interface (127.0.0.1: this machine only)"),
        Arguments.of(
            "metrics token too short",
            "{\"metrics\":{\"token\":\"secret\"}}",
            "metrics.token: must be empty (no token) or at least 16 characters (got 6)"),
        Arguments.of(
            "empty stream key",
            "{\"rtmp\":{\"streamKeys\":{\"demo\":\"\"}}}",
            "rtmp.streamKeys.demo: key must not be empty"),
        Arguments.of(
            "cluster on a wildcard address",
            "{\"cluster\":{\"enabled\":true,\"host\":\"0.0.0.0\"}}",
            "cluster.host: must be the address the other origins reach this one at, not a wildcard"
                + " (got '0.0.0.0')"),
        Arguments.of(
            "cluster member that is a URL",
            "{\"cluster\":{\"enabled\":true,\"members\":[\"http://10.0.0.5/\"]}}",
            "cluster.members[0]: must be host or host:port (got 'http://10.0.0.5/')"),
        Arguments.of(
            "cluster advertised without a port",
            "{\"cluster\":{\"enabled\":true,\"advertiseHttp\":\"http://10.0.0.5\"}}",
            "cluster.advertiseHttp: must be http(s)://HOST:PORT or empty (got 'http://10.0.0.5')"),
        Arguments.of(
            "no forwarded request may wait",
            "{\"cluster\":{\"enabled\":true,\"maxQueuedForwards\":0}}",
            "cluster.maxQueuedForwards: must be between 1 and 1000000 (got 0)"),
        Arguments.of(
            "a relay acknowledgement timeout under a second",
            "{\"cluster\":{\"enabled\":true,\"relayAckTimeoutSeconds\":0.5}}",
            "cluster.relayAckTimeoutSeconds: must be between 1.0 and 600.0 seconds (got 0.5)"),
        Arguments.of(
            "a relay idle time of an hour",
            "{\"cluster\":{\"enabled\":true,\"relayIdleSeconds\":3600}}",
            "cluster.relayIdleSeconds: must be between 1.0 and 600.0 seconds (got 3600.0)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidValues")
  void invalidValueGivesExactMessage(String label, String json, String message) {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ConfigLoader.fromJson(new JsonObject(json), Map.of()));
    assertEquals(message, e.getMessage());
  }

  @Test
  void invalidYamlFileFailsLoadWithExactMessage() throws Exception {
    ConfigException e =
        awaitFailure(ConfigLoader.load(vertx, yaml("http:\n  port: eighty\n"), Map.of()));
    assertEquals("http.port: must be a whole number (got eighty)", e.getMessage());
  }

  @Test
  void rejectsWholeNumberOutsideIntRange() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.fromJson(
                    new JsonObject().put("http", new JsonObject().put("port", 4_294_975_488L)),
                    Map.of()));
    assertTrue(e.getMessage().startsWith("http.port: "), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "HEADWATER_HLS_PART_TARGET_SECONDS, hls.partTargetSeconds",
    "HEADWATER_HLS_SEGMENT_TARGET_SECONDS, hls.segmentTargetSeconds",
    "HEADWATER_HLS_SKIP_BOUNDARY_SECONDS, hls.skipBoundarySeconds"
  })
  void rejectsNanSeconds(String variable, String key) {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.fromJson(new JsonObject(), Map.of(variable, "NaN")));
    assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
  }

  @Test
  void envOverridesHttpPort() throws Exception {
    HeadwaterConfig c =
        await(
            ConfigLoader.load(
                vertx, Path.of("conf/headwater.yaml"), Map.of("HEADWATER_HTTP_PORT", "9000")));
    assertEquals(9000, c.http().port());
  }

  @Test
  void envOverridesValueSetInFile() throws Exception {
    HeadwaterConfig c =
        await(
            ConfigLoader.load(
                vertx, yaml("http:\n  port: 9090\n"), Map.of("HEADWATER_HTTP_PORT", "9000")));
    assertEquals(9000, c.http().port());
  }

  @Test
  void envOverridesPartTargetSeconds() {
    HeadwaterConfig c =
        ConfigLoader.fromJson(
            new JsonObject(), Map.of("HEADWATER_HLS_PART_TARGET_SECONDS", "0.25"));
    assertEquals(0.25, c.hls().partTargetSeconds());
  }

  @Test
  void envOverridesStreamKeysMap() {
    HeadwaterConfig c =
        ConfigLoader.fromJson(new JsonObject(), Map.of("HEADWATER_RTMP_STREAM_KEYS", "a=x,b=y"));
    assertEquals(Map.of("a", "x", "b", "y"), c.rtmp().streamKeys());
  }

  @Test
  void envSetsAListOfCorsOrigins() {
    HeadwaterConfig c =
        ConfigLoader.fromJson(
            new JsonObject(),
            Map.of("HEADWATER_HTTP_CORS_ORIGIN", "https://a.example, http://localhost:3000"));
    assertEquals("https://a.example, http://localhost:3000", c.http().corsOrigin());
    assertEquals(
        List.of("https://a.example", "http://localhost:3000"),
        CorsOrigins.parse(c.http().corsOrigin()));
  }

  @Test
  void envOverridesTrustedClientsList() {
    HeadwaterConfig c =
        ConfigLoader.fromJson(
            new JsonObject(),
            Map.of("HEADWATER_HTTP_TRUSTED_CLIENTS", "203.0.113.0/24, 2001:db8::/32,"));
    assertEquals(List.of("203.0.113.0/24", "2001:db8::/32"), c.http().trustedClients());
  }

  @Test
  void envJoinsACluster() {
    HeadwaterConfig c =
        ConfigLoader.fromJson(
            new JsonObject(),
            Map.of(
                "HEADWATER_CLUSTER_ENABLED", "true",
                "HEADWATER_CLUSTER_HOST", "10.0.0.5",
                "HEADWATER_CLUSTER_MEMBERS", "10.0.0.5,10.0.0.6:5701"));
    assertTrue(c.cluster().enabled());
    assertEquals("10.0.0.5", c.cluster().host());
    assertEquals(List.of("10.0.0.5", "10.0.0.6:5701"), c.cluster().members());
  }

  @Test
  void aClusterThatIsOffIsNotValidated() {
    HeadwaterConfig c =
        ConfigLoader.fromJson(new JsonObject("{\"cluster\":{\"host\":\"0.0.0.0\"}}"), Map.of());
    assertFalse(c.cluster().enabled());
  }

  @Test
  void envSetsMetricsToken() {
    HeadwaterConfig c =
        ConfigLoader.fromJson(
            new JsonObject(), Map.of("HEADWATER_METRICS_TOKEN", "0123456789abcdef0123"));
    assertEquals("0123456789abcdef0123", c.metrics().token());
  }

  @Test
  void yamlListsTrustedClients() throws Exception {
    HeadwaterConfig c =
        await(
            ConfigLoader.load(
                vertx,
                yaml("http:\n  trustedClients:\n    - 10.0.0.0/8\n    - 192.0.2.7\n"),
                Map.of()));
    assertEquals(List.of("10.0.0.0/8", "192.0.2.7"), c.http().trustedClients());
  }

  @Test
  void envOverridesString() {
    HeadwaterConfig c =
        ConfigLoader.fromJson(new JsonObject(), Map.of("HEADWATER_FFMPEG_PRESET", "fast"));
    assertEquals("fast", c.ffmpeg().preset());
  }

  @Test
  void unrelatedEnvVariablesAreIgnored() {
    HeadwaterConfig c =
        ConfigLoader.fromJson(new JsonObject(), Map.of("HEADWATER_NOPE", "1", "PATH", "/bin"));
    assertEquals(HeadwaterConfig.defaults(), c);
  }

  @Test
  void badEnvValueNamesKeyAndVariable() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.fromJson(new JsonObject(), Map.of("HEADWATER_HTTP_PORT", "abc")));
    assertEquals(
        "http.port (from HEADWATER_HTTP_PORT): must be a number (got 'abc')", e.getMessage());
  }

  @Test
  void badEnvMapEntryNamesKeyAndVariable() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigLoader.fromJson(
                    new JsonObject(), Map.of("HEADWATER_RTMP_STREAM_KEYS", "a=x,oops")));
    assertEquals(
        "rtmp.streamKeys (from HEADWATER_RTMP_STREAM_KEYS): entries must be name=value (got 'oops')",
        e.getMessage());
  }

  @Test
  void envValueIsValidatedLikeFileValue() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.fromJson(new JsonObject(), Map.of("HEADWATER_HTTP_PORT", "70000")));
    assertEquals("http.port: must be between 0 and 65535 (got 70000)", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "http.port, HEADWATER_HTTP_PORT",
    "hls.partTargetSeconds, HEADWATER_HLS_PART_TARGET_SECONDS",
    "rtmp.streamKeys, HEADWATER_RTMP_STREAM_KEYS",
    "hls.maxFmp4BoxBytes, HEADWATER_HLS_MAX_FMP4_BOX_BYTES",
    "ffmpeg.restartBackoffInitialSeconds, HEADWATER_FFMPEG_RESTART_BACKOFF_INITIAL_SECONDS"
  })
  void envNameFollowsKeyPath(String keyPath, String variable) {
    assertEquals(variable, ConfigLoader.envName(keyPath));
  }

  @Test
  void missingConfigFileIsNamed() {
    Path missing = tmp.resolve("nope.yaml");
    ConfigException e = awaitFailure(ConfigLoader.load(vertx, missing, Map.of()));
    assertEquals("--config: no such file " + missing, e.getMessage());
  }
}
