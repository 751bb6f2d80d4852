import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blocking fan-out benchmark: parks N blocking playlist requests (_HLS_msn/_HLS_part for a part that
 * does not exist yet) on a live Headwater stream, over N HTTP/1.1 connections, and checks that the one
 * new part answers them all. Repeats ROUNDS times and prints the client-side spread (first → last
 * answer) per round; the server-side publication → last response written comes from /metrics.
 *
 * Usage: java -cp VERTX_CLASSPATH FanOut.java BASE STREAM RENDITION N ROUNDS [h2]
 * With {@code h2} the requests are multiplexed over HTTP/2 cleartext (prior knowledge), up to 1,000
 * streams per connection (the server's http.maxConcurrentStreams), as a CDN edge would send them.
 */
public class FanOut {
  public static void main(String[] args) throws Exception {
    String base = args[0];
    String stream = args[1];
    String rendition = args[2];
    int n = Integer.parseInt(args[3]);
    int rounds = Integer.parseInt(args[4]);
    boolean h2 = args.length > 5 && args[5].equals("h2");
    HttpClient plain = HttpClient.newHttpClient();
    String streams = plain.send(HttpRequest.newBuilder(URI.create(base + "/api/streams")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher sm = Pattern.compile("\"name\":\"" + Pattern.quote(stream) + "\",\"session\":\"([a-z0-9]+)\"").matcher(streams);
    if (!sm.find()) {
      throw new IllegalStateException("stream " + stream + " not live: " + streams);
    }
    String path = "/live/" + stream + "/" + sm.group(1) + "/" + rendition + "/index.m3u8";
    URI uri = URI.create(base);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    HttpClientOptions options = new HttpClientOptions().setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort())
        .setKeepAlive(true).setConnectTimeout(20000);
    if (h2) {
      options.setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
          .setHttp2MultiplexingLimit(1000);
    }
    HttpClientAgent http = vertx.createHttpClient(options,
        new PoolOptions().setHttp1MaxSize(n).setHttp2MaxSize(Math.max(1, n / 1000)).setMaxWaitQueueSize(-1));
    // Open the N connections first, in batches, so that the rounds measure waking, not a SYN storm.
    for (int opened = 0; opened < n; opened += 500) {
      List<Future<Integer>> batch = new ArrayList<>();
      for (int i = opened; i < Math.min(n, opened + 500); i++) {
        batch.add(http.request(HttpMethod.GET, "/health").compose(req -> req.send()).compose(res -> res.body().map(b -> res.statusCode())));
      }
      Future.all(batch).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
    List<Double> spreads = new ArrayList<>();
    int errors = 0;
    for (int round = 0; round < rounds; round++) {
      String text = plain.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
      long[] next = afterNext(text);
      String target = path + "?_HLS_msn=" + next[0] + "&_HLS_part=" + next[1];
      List<Future<Long>> answers = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        answers.add(http.request(HttpMethod.GET, target)
            .compose(req -> req.send())
            .compose(res -> res.body().map(b -> {
              if (res.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + res.statusCode());
              }
              return System.nanoTime();
            })));
      }
      Future.join(answers).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      List<Long> times = new ArrayList<>();
      for (Future<Long> f : answers) {
        if (f.succeeded()) {
          times.add(f.result());
        } else {
          errors++;
        }
      }
      if (!times.isEmpty()) {
        spreads.add((Collections.max(times) - Collections.min(times)) / 1e6);
      }
    }
    Collections.sort(spreads);
    System.out.printf(Locale.ROOT, "fanout n=%d %s rounds=%d errors=%d client_spread_ms p50=%.1f max=%.1f%n",
        n, h2 ? "h2c" : "http/1.1", rounds, errors, spreads.get(spreads.size() / 2), spreads.get(spreads.size() - 1));
    vertx.close();
    System.exit(errors == 0 ? 0 : 1);
  }

  /** MSN and part index of the part after the next one, so every request parks before it exists. */
  static long[] afterNext(String playlist) {
    Matcher seq = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(playlist);
    seq.find();
    long msn = Long.parseLong(seq.group(1));
    int part = 0;
    boolean complete = true;
    boolean extinf = false;
    for (String line : playlist.split("\n")) {
      if (line.startsWith("#EXT-X-PART:")) {
        part++;
        complete = false;
      } else if (line.startsWith("#EXTINF")) {
        extinf = true;
      } else if (extinf && !line.startsWith("#")) {
        msn++;
        part = 0;
        complete = true;
        extinf = false;
      }
    }
    // now: msn = next MSN without parts if complete; else parts counted in the open segment msn
    long wantMsn = msn;
    long wantPart = complete ? 1 : part + 1;
    return new long[] {wantMsn, wantPart};
  }
}
