package dev.headwater.record;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, s3proxy, ...) under an optional key
 * prefix, through the AWS SDK for Java v2's synchronous client over the JDK's HttpURLConnection.
 * Every method blocks on the network: callers run it on a worker thread, never on an event loop.
 *
 * <p>A PutObject is atomic on S3: readers see the old object or the whole new one, never part of
 * it, which is what {@link ObjectStore#put} promises. Failures become {@link IOException}s whose
 * message names the bucket and endpoint and says what an operator can do (missing bucket, access
 * denied, endpoint unreachable, timeout), with the SDK's exception as the cause.
 *
 * <p>The client retries each call up to {@link Limits#maxAttempts} times with the SDK's standard
 * backoff, and no call lasts longer than {@link Limits#apiCall}: a dead endpoint costs a recorder
 * at most that long per call before its own retry and backoff take over.
 *
 * <p>The bucket is never created implicitly: {@link #ensureBucket()} does it when the caller asks.
 */
public final class S3Store implements ObjectStore {
  private static final Logger LOG = LoggerFactory.getLogger(S3Store.class);

  /** The region that takes no location constraint on CreateBucket. */
  private static final String US_EAST_1 = "us-east-1";

  /**
   * Where the bucket is.
   *
   * @param endpoint the S3 API's base URL, e.g. {@code http://minio:9000}; empty for AWS's own
   *     endpoint for {@code region} (or the SDK's {@code AWS_ENDPOINT_URL_S3} environment override)
   * @param bucket the bucket's name
   * @param prefix a key prefix that every object of this store goes under, so that several stores
   *     (or other data) share one bucket; empty for none. A trailing {@code /} is added when
   *     missing: prefix {@code headwater} puts key {@code a/b} at {@code headwater/a/b}
   * @param region the signing region, e.g. {@code eu-west-1}; most self-hosted servers accept
   *     {@code us-east-1}
   * @param pathStyle {@code true} for {@code http://host/bucket/key} URLs (MinIO, s3proxy, most
   *     self-hosted servers), {@code false} for AWS's virtual-hosted {@code bucket.host/key}
   */
  public record Settings(
      String endpoint, String bucket, String prefix, String region, boolean pathStyle) {
    public Settings {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(region, "region");
      if (!endpoint.isEmpty()) {
        URI uri;
        try {
          uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("s3 endpoint is not a URL: " + endpoint, e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
            || uri.getHost() == null) {
          throw new IllegalArgumentException(
              "s3 endpoint must be an http:// or https:// URL with a host: " + endpoint);
        }
      }
      if (bucket.isBlank()) {
        throw new IllegalArgumentException("s3 bucket must not be empty");
      }
      if (region.isBlank()) {
        throw new IllegalArgumentException("s3 region must not be empty (us-east-1 if unsure)");
      }
      if (prefix.startsWith("/")) {
        throw new IllegalArgumentException("s3 prefix must not start with '/': " + prefix);
      }
      if (!prefix.isEmpty() && !prefix.endsWith("/")) {
        prefix = prefix + "/";
      }
    }
  }

  /**
   * How long the client waits and how often it tries.
   *
   * @param connect to open a TCP (and TLS) connection; a black-holed endpoint costs this per
   *     attempt
   * @param socket between two reads of a response; a server that stops answering mid-call costs
   *     this per attempt
   * @param apiCall for a whole call including its retries; bounds what one put can hold a worker
   *     thread for
   * @param maxAttempts tries per call, the first included (1 = no retry)
   */
  public record Limits(Duration connect, Duration socket, Duration apiCall, int maxAttempts) {
    /**
     * 5 s to connect (a LAN or region endpoint answers in milliseconds), 30 s between reads, 2 min
     * per call (a 5 MB segment at 1 Mbit/s takes 40 s), 3 attempts (the SDK's standard).
     */
    public static final Limits DEFAULT =
        new Limits(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), 3);

    public Limits {
      Objects.requireNonNull(connect, "connect");
      Objects.requireNonNull(socket, "socket");
      Objects.requireNonNull(apiCall, "apiCall");
      if (connect.isNegative() || connect.isZero()) {
        throw new IllegalArgumentException("connect timeout must be positive: " + connect);
      }
      if (socket.isNegative() || socket.isZero()) {
        throw new IllegalArgumentException("socket timeout must be positive: " + socket);
      }
      if (apiCall.isNegative() || apiCall.isZero()) {
        throw new IllegalArgumentException("api call timeout must be positive: " + apiCall);
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("max attempts must be at least 1: " + maxAttempts);
      }
    }
  }

  private final Settings settings;
  private final S3Client client;
  private final AutoCloseable ownedCredentials;

  /**
   * A store whose credentials come from the environment through the SDK's default chain: {@code
   * AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} (and {@code AWS_SESSION_TOKEN}), Java system
   * properties, {@code ~/.aws} profiles ({@code AWS_PROFILE}), web identity, container and instance
   * roles. Nothing is fetched until the first call.
   */
  public static S3Store fromEnvironment(Settings settings) {
    DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    return new S3Store(settings, credentials, Limits.DEFAULT, credentials);
  }

  /** A store signing with {@code credentials}, with the default limits. */
  public S3Store(Settings settings, AwsCredentialsProvider credentials) {
    this(settings, credentials, Limits.DEFAULT);
  }

  /** A store signing with {@code credentials}; the caller keeps ownership of the provider. */
  public S3Store(Settings settings, AwsCredentialsProvider credentials, Limits limits) {
    this(settings, credentials, limits, null);
  }

  private S3Store(
      Settings settings,
      AwsCredentialsProvider credentials,
      Limits limits,
      AutoCloseable ownedCredentials) {
    this.settings = Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(limits, "limits");
    this.ownedCredentials = ownedCredentials;
    var builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .forcePathStyle(settings.pathStyle())
            // The SDK's own HTTP client choice is not left to the classpath: this one is the JDK's
            // HttpURLConnection (see pom.xml for why not Netty or Apache).
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(limits.connect())
                    .socketTimeout(limits.socket()))
            // The SDK's default since 2.30 sends a CRC checksum with every put as an aws-chunked
            // trailer, which S3-compatible servers do not all accept (s3proxy 2.6.0 answers each
            // such put with 400 XAmzContentSHA256Mismatch). SigV4 over http signs the payload's
            // SHA-256 instead, and TLS protects it over https.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(
                o ->
                    o.apiCallTimeout(limits.apiCall())
                        .retryStrategy(r -> r.maxAttempts(limits.maxAttempts())));
    if (!settings.endpoint().isEmpty()) {
      builder.endpointOverride(URI.create(settings.endpoint()));
    }
    this.client = builder.build();
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    String full = fullKey(key);
    try {
      client.putObject(
          b -> b.bucket(settings.bucket()).key(full).contentLength((long) bytes.length),
          RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw failure("put " + key, e);
    }
  }

  @Override
  public byte[] get(String key) throws IOException {
    String full = fullKey(key);
    try {
      return client.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(full)).asByteArray();
    } catch (NoSuchKeyException e) {
      return null;
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
        return null;
      }
      throw failure("get " + key, e);
    } catch (SdkException e) {
      throw failure("get " + key, e);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) throws IOException {
    Objects.requireNonNull(prefix, "prefix");
    String full = settings.prefix() + prefix;
    int strip = settings.prefix().length();
    List<StoredObject> out = new ArrayList<>();
    try {
      for (S3Object o :
          client
              .listObjectsV2Paginator(
                  b -> {
                    b.bucket(settings.bucket());
                    if (!full.isEmpty()) {
                      b.prefix(full);
                    }
                  })
              .contents()) {
        // A server that ignores the prefix parameter must not leak other stores' objects.
        if (o.key().startsWith(full)) {
          out.add(new StoredObject(o.key().substring(strip), o.size() == null ? 0 : o.size()));
        }
      }
    } catch (SdkException e) {
      throw failure("list " + (prefix.isEmpty() ? "all objects" : prefix + "*"), e);
    }
    // S3 lists in UTF-8 byte order; LocalDiskStore and the callers use String order.
    out.sort(Comparator.comparing(StoredObject::key));
    return out;
  }

  @Override
  public void delete(String key) throws IOException {
    String full = fullKey(key);
    try {
      client.deleteObject(b -> b.bucket(settings.bucket()).key(full));
    } catch (NoSuchKeyException e) {
      // Some S3-compatible servers answer 404 where S3 answers 204: absent is not an error.
    } catch (S3Exception e) {
      if (e.statusCode() != 404 || isNoSuchBucket(e)) {
        throw failure("delete " + key, e);
      }
    } catch (SdkException e) {
      throw failure("delete " + key, e);
    }
  }

  /**
   * Creates the bucket when it does not exist, and logs which of the two it found. For deployments
   * that let the origin own its bucket (a dedicated MinIO, tests); elsewhere leave it to whoever
   * provisions storage and let a missing bucket fail the first call.
   *
   * @return {@code true} when this call created the bucket
   */
  public boolean ensureBucket() throws IOException {
    try {
      client.headBucket(b -> b.bucket(settings.bucket()));
      LOG.info("s3 bucket {} exists at {}", settings.bucket(), endpointForLogs());
      return false;
    } catch (NoSuchBucketException e) {
      // create it below
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw failure("check bucket", e);
      }
    } catch (SdkException e) {
      throw failure("check bucket", e);
    }
    try {
      client.createBucket(
          b -> {
            b.bucket(settings.bucket());
            if (!US_EAST_1.equals(settings.region())) {
              b.createBucketConfiguration(
                  c -> c.locationConstraint(BucketLocationConstraint.fromValue(settings.region())));
            }
          });
    } catch (S3Exception e) {
      String code = errorCode(e);
      if ("BucketAlreadyOwnedByYou".equals(code)) {
        LOG.info("s3 bucket {} exists at {}", settings.bucket(), endpointForLogs());
        return false;
      }
      throw failure("create bucket", e);
    } catch (SdkException e) {
      throw failure("create bucket", e);
    }
    LOG.info("s3 bucket {} created at {}", settings.bucket(), endpointForLogs());
    return true;
  }

  @Override
  public String describe() {
    return "s3 bucket "
        + settings.bucket()
        + " at "
        + endpointForLogs()
        + " prefix "
        + (settings.prefix().isEmpty() ? "(none)" : settings.prefix());
  }

  @Override
  public void close() {
    client.close();
    if (ownedCredentials != null) {
      try {
        ownedCredentials.close();
      } catch (Exception e) {
        LOG.debug("closing the s3 credentials provider failed", e);
      }
    }
  }

  /**
   * The object's key in the bucket. Keys are checked as {@link LocalDiskStore} checks them, and
   * more strictly: an empty, {@code .} or {@code ..} segment could be normalised away by an HTTP
   * layer or a server and address an object outside this store's prefix.
   */
  private String fullKey(String key) throws IOException {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty() || key.startsWith("/") || key.contains("\\")) {
      throw new IOException("not an object key: " + key);
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IOException("object key leaves the store or has an empty segment: " + key);
      }
    }
    return settings.prefix() + key;
  }

  private String endpointForLogs() {
    return settings.endpoint().isEmpty() ? "AWS region " + settings.region() : settings.endpoint();
  }

  private static boolean isNoSuchBucket(S3Exception e) {
    return e instanceof NoSuchBucketException || "NoSuchBucket".equals(errorCode(e));
  }

  private static String errorCode(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  /** An operator-readable IOException for a failed call, keeping the SDK's exception as cause. */
  private IOException failure(String what, SdkException e) {
    String where = "s3 bucket " + settings.bucket() + " at " + endpointForLogs();
    String message;
    if (e instanceof S3Exception s3) {
      String code = errorCode(s3);
      int status = s3.statusCode();
      if (isNoSuchBucket(s3)) {
        message =
            where
                + ": "
                + what
                + " failed: the bucket does not exist; create it (or let the origin create it"
                + " with ensureBucket) or fix the bucket setting";
      } else if (status == 403 || status == 401) {
        message =
            where
                + ": "
                + what
                + " failed: access denied ("
                + status
                + " "
                + code
                + "); check the credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE"
                + " or the instance role), the region and the bucket policy";
      } else {
        message =
            where
                + ": "
                + what
                + " failed: HTTP "
                + status
                + " "
                + code
                + ": "
                + (s3.awsErrorDetails() == null
                    ? s3.getMessage()
                    : s3.awsErrorDetails().errorMessage());
      }
    } else if (e instanceof ApiCallTimeoutException
        || e instanceof ApiCallAttemptTimeoutException) {
      message = where + ": " + what + " timed out: " + e.getMessage();
    } else if (hasCause(e, SocketTimeoutException.class)) {
      message =
          where
              + ": "
              + what
              + " timed out waiting for the endpoint ("
              + rootMessage(e)
              + "); check that the S3 server is up and not overloaded";
    } else if (e instanceof SdkClientException && hasCause(e, IOException.class)) {
      message =
          where
              + ": "
              + what
              + " failed: endpoint unreachable ("
              + rootMessage(e)
              + "); check the endpoint setting, DNS and that the S3 server is up";
    } else if (e instanceof SdkClientException
        && e.getMessage() != null
        && e.getMessage().startsWith("Unable to load credentials")) {
      message =
          where
              + ": "
              + what
              + " failed: no credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
              + " (or AWS_PROFILE, or run with an instance or container role). The SDK says: "
              + e.getMessage();
    } else {
      message = where + ": " + what + " failed: " + e.getMessage();
    }
    return new IOException(message, e);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
