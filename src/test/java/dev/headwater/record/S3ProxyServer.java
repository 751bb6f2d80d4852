package dev.headwater.record;

import java.net.URI;
import java.util.Objects;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A real S3 API server for tests: s3proxy (Jetty in front of a jclouds in-memory "transient"
 * blobstore) on a free loopback port, with one empty bucket, checking AWS V2/V4 signatures against
 * a fixed test identity. Objects live in memory and vanish when it stops.
 *
 * <pre>{@code
 * try (S3ProxyServer s3 = S3ProxyServer.start("recordings");
 *     S3Store store = new S3Store(s3.settings("headwater"), s3.credentials())) {
 *   store.put("live/0/seg-1.m4s", bytes);
 * }
 * }</pre>
 *
 * For an origin started as a process or from configuration, hand it {@link #endpoint()}, {@link
 * #bucket()}, region {@link #REGION}, path-style access, and {@link #IDENTITY} / {@link
 * #CREDENTIAL} as {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} in its environment.
 * {@link #stop()} (or {@link #close()}) shuts the server down; a stopped server refuses
 * connections, which is how a test makes storage unreachable.
 */
public final class S3ProxyServer implements AutoCloseable {
  /** The access key id the server accepts. */
  public static final String IDENTITY = "headwater-test-identity";

  /** The secret access key the server accepts. */
  public static final String CREDENTIAL = "headwater-test-credential";

  /** The region clients sign for; s3proxy accepts any, the SDK needs one. */
  public static final String REGION = "us-east-1";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final String bucket;
  private final URI endpoint;
  private boolean stopped;

  private S3ProxyServer(S3Proxy proxy, BlobStoreContext context, String bucket, URI endpoint) {
    this.proxy = proxy;
    this.context = context;
    this.bucket = bucket;
    this.endpoint = endpoint;
  }

  /** Starts a server on 127.0.0.1 and an ephemeral port, with {@code bucket} created and empty. */
  public static S3ProxyServer start(String bucket) throws Exception {
    Objects.requireNonNull(bucket, "bucket");
    BlobStoreContext context =
        ContextBuilder.newBuilder("transient")
            .credentials(IDENTITY, CREDENTIAL)
            .overrides(new Properties())
            .build(BlobStoreContext.class);
    S3Proxy proxy = null;
    try {
      context.getBlobStore().createContainerInLocation(null, bucket);
      proxy =
          S3Proxy.builder()
              .blobStore(context.getBlobStore())
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, CREDENTIAL)
              // Port 0: Jetty binds a free port, read back below, so no probe-then-bind race.
              .endpoint(URI.create("http://127.0.0.1:0"))
              .build();
      proxy.start();
      // start() returns once Jetty is started; the state check guards against a failed start.
      if (!"STARTED".equals(proxy.getState())) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
      return new S3ProxyServer(proxy, context, bucket, endpoint);
    } catch (Exception | Error e) {
      if (proxy != null) {
        proxy.stop();
      }
      context.close();
      throw e;
    }
  }

  /** The server's base URL, {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return endpoint;
  }

  /** The bucket created at start. */
  public String bucket() {
    return bucket;
  }

  /**
   * Settings for an {@link S3Store} on this server's bucket under {@code prefix} (may be empty).
   */
  public S3Store.Settings settings(String prefix) {
    return new S3Store.Settings(endpoint.toString(), bucket, prefix, REGION, true);
  }

  /** Credentials this server accepts. */
  public AwsCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL));
  }

  /** Stops the server; its port then refuses connections. Stopping twice is harmless. */
  public synchronized void stop() throws Exception {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      proxy.stop();
    } finally {
      context.close();
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
