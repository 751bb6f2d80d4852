import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much later each part reaches a player through an edge than straight from the origin, for
 * edge.sh. Two clients, one on the origin and one on the edge, each with its own keep-alive HTTP/1.1
 * connection, do in lock step what a low-latency player does for its media: request the part the
 * playlist's EXT-X-PRELOAD-HINT names (RFC 8216bis 4.4.5.3) before it exists, so the server holds the
 * request and streams the part as it is produced; then the next one. Both requests of a part are sent
 * at the same moment; the figure per part is edge - direct of the moments its last byte arrived,
 * which is what the edge adds to the time the part can be shown (a player that steers its latency,
 * as dash.js does, turns it into glass-to-glass). It does not depend on any player's join or
 * latency controller, so it resolves milliseconds where paired players resolve tenths of seconds.
 *
 * <p>Parts are named p{N}.m4s with one counter per rendition (Headwater's scheme), so the next hint
 * is p{N+1}.m4s. A part that was already complete when asked for (the client fell behind) is
 * counted apart and left out of the figure: its arrival measures only the transfer.
 *
 * <p>Prints one line per 50 parts, then a summary: parts, median edge - direct, middle half, range,
 * and a distribution-free 95 % confidence interval of the median (sign test order statistics).
 *
 * <p>Usage: java PartArrival.java DIRECT_BASE EDGE_BASE MASTER_PATH SECONDS (bases as
 * http://127.0.0.1:PORT)
 */
public class PartArrival {
  private static final Pattern HINT =
      Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"([^\"]*?)p(\\d+)\\.m4s\"");

  public static void main(String[] args) throws Exception {
    String direct = args[0];
    String edge = args[1];
    String master = args[2];
    long seconds = Long.parseLong(args[3]);
    HttpClient d = client();
    HttpClient e = client();
    String masterText = get(d, direct + master).body();
    String media =
        masterText.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow();
    URI mediaUri = URI.create(direct + master).resolve(media);
    String base = mediaUri.getPath().substring(0, mediaUri.getPath().lastIndexOf('/') + 1);
    Matcher m = HINT.matcher(get(d, mediaUri.toString()).body());
    if (!m.find()) {
      throw new IllegalStateException("no part preload hint in " + mediaUri);
    }
    String prefix = base + m.group(1);
    long part = Long.parseLong(m.group(2));
    List<Double> diffs = new ArrayList<>();
    int behind = 0;
    int errors = 0;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      String path = prefix + "p" + part + ".m4s";
      long sent = System.nanoTime();
      CompletableFuture<Long> viaDirect = arrival(d, direct + path);
      CompletableFuture<Long> viaEdge = arrival(e, edge + path);
      long dt = viaDirect.join();
      long et = viaEdge.join();
      part++;
      if (dt < 0 || et < 0) {
        errors++;
        continue;
      }
      // Held for less than 20 ms: the part existed already, nothing was waited for.
      if (dt - sent < 20_000_000L) {
        behind++;
        continue;
      }
      diffs.add((et - dt) / 1e6);
      if (diffs.size() % 50 == 0) {
        System.out.printf(Locale.ROOT, "parts %d: median edge - direct %+.1f ms%n", diffs.size(), pct(diffs, 0.5));
      }
    }
    Collections.sort(diffs);
    int n = diffs.size();
    // Sign test: the median lies between order statistics k and n+1-k with >= 95 % confidence.
    int k = (int) Math.floor(n / 2.0 - 0.98 * Math.sqrt(n));
    String ci =
        k >= 1
            ? String.format(Locale.ROOT, "%+.1f to %+.1f ms", diffs.get(k - 1), diffs.get(n - k))
            : "too few parts";
    System.out.printf(
        Locale.ROOT,
        "part_arrival parts=%d median=%+.1fms middle_half=%+.1f..%+.1fms range=%+.1f..%+.1fms ci95=%s behind=%d errors=%d%n",
        n,
        pct(diffs, 0.5),
        pct(diffs, 0.25),
        pct(diffs, 0.75),
        n > 0 ? diffs.get(0) : Double.NaN,
        n > 0 ? diffs.get(n - 1) : Double.NaN,
        ci.replace(' ', '_'),
        behind,
        errors);
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static HttpResponse<String> get(HttpClient c, String url) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** When the whole 200 body had arrived (System.nanoTime), or -1. */
  private static CompletableFuture<Long> arrival(HttpClient c, String url) {
    HttpRequest r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    return c.sendAsync(r, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(res -> res.statusCode() == 200 && res.body().length > 0 ? System.nanoTime() : -1L)
        .exceptionally(t -> -1L);
  }

  private static double pct(List<Double> v, double p) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get((int) Math.min(s.size() - 1, Math.round(p * (s.size() - 1))));
  }
}
