package dev.headwater.serve;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request handler in front of the router: the requests a viewer makes several times a second —
 * multivariant and media playlists, parts, segments, init sections — go straight to their handler;
 * everything else goes to the {@code Router}, which also serves these paths.
 *
 * <p>The router costs a routing context, a regex match per route tried with its path parameters
 * decoded into a map, and a list of headers-end handlers, for every response (about 15 % of the
 * serving path's Java samples under LL-HLS load, loadtest/RESULTS.md issue 10). Here the path is
 * split once by hand. A request takes this path only when the router would do exactly the same: GET
 * (HEAD too for media) and a plain path — no percent-escape, no dot segment, no empty segment,
 * which the router would decode or normalize first. The same admission ({@link HttpGuards}) and
 * response count apply.
 *
 * <p>Every request, whichever way it goes, gets its CORS headers here first ({@link Cors}): a
 * response must be the same for a client with and without {@code Origin}, or say that it is not
 * ({@code Vary: Origin}), since a CDN edge stores the first one it fetches for everyone.
 */
final class LiveDispatch implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(LiveDispatch.class);
  private static final String PREFIX = "/live/";

  private final Handler<HttpServerRequest> router;
  private final HttpGuards guards;
  private final PlaylistHandler playlists;
  private final MediaHandler media;
  private final Cors cors;

  /** Null: a single origin, or none of the streams is elsewhere. */
  private final OwnerProxy owners;

  LiveDispatch(
      Handler<HttpServerRequest> router,
      HttpGuards guards,
      PlaylistHandler playlists,
      MediaHandler media,
      Cors cors,
      OwnerProxy owners) {
    this.cors = cors;
    this.owners = owners;
    this.router = router;
    this.guards = guards;
    this.playlists = playlists;
    this.media = media;
  }

  @Override
  public void handle(HttpServerRequest req) {
    // A stream another origin owns: its response, CORS headers included, comes from the owner.
    if (owners == null || !owners.forward(req, guards::admit, this::serveHere)) {
      serveHere(req);
    }
  }

  private void serveHere(HttpServerRequest req) {
    cors.decorate(req);
    Handler<HttpServerRequest> direct = route(req);
    if (direct == null) {
      router.handle(req);
    } else {
      guards.admit(req, direct);
    }
  }

  /** The handler for a request this class serves, or null for the router's. */
  private Handler<HttpServerRequest> route(HttpServerRequest req) {
    HttpMethod method = req.method();
    boolean get = method == HttpMethod.GET;
    if (!get && method != HttpMethod.HEAD) {
      return null;
    }
    String path = req.path();
    if (path == null || !path.startsWith(PREFIX) || path.indexOf('%') >= 0) {
      return null;
    }
    // /live/NAME/master.m3u8 or /live/NAME/SESSION/RENDITION/FILE
    int a = PREFIX.length();
    int b = segmentEnd(path, a);
    if (b < 0) {
      return null;
    }
    int c = segmentEnd(path, b + 1);
    if (c < 0) {
      return null;
    }
    if (c == path.length()) {
      if (!get || !path.startsWith("master.m3u8", b + 1) || c - b - 1 != 11) {
        return null;
      }
      String name = path.substring(a, b);
      return r -> safely(r, () -> playlists.multivariant(r, name));
    }
    int d = segmentEnd(path, c + 1);
    if (d < 0 || d == path.length()) {
      return null;
    }
    int e = segmentEnd(path, d + 1);
    if (e != path.length()) {
      return null;
    }
    String name = path.substring(a, b);
    String session = path.substring(b + 1, c);
    String rendition = path.substring(c + 1, d);
    String file = path.substring(d + 1);
    if (file.equals("index.m3u8")) {
      return get ? r -> safely(r, () -> playlists.media(r, name, session, rendition)) : null;
    }
    if (file.endsWith(".m3u8")) {
      return null; // the DVR playlist: the router's
    }
    return r -> safely(r, () -> media.handle(r, name, session, rendition, file));
  }

  /**
   * The end of the path segment starting at {@code from} (the next '/' or the path's end), or -1
   * when it is empty, "." or "..".
   */
  private static int segmentEnd(String path, int from) {
    int end = path.indexOf('/', from);
    if (end < 0) {
      end = path.length();
    }
    int n = end - from;
    if (n == 0
        || (path.charAt(from) == '.' && (n == 1 || (n == 2 && path.charAt(from + 1) == '.')))) {
      return -1;
    }
    return end;
  }

  /** As the router does: a handler that throws gets a 500 rather than a hanging request. */
  private static void safely(HttpServerRequest req, Runnable handler) {
    try {
      handler.run();
    } catch (RuntimeException e) {
      LOG.error("Unhandled failure serving {}", req.path(), e);
      HttpServerResponse res = req.response();
      if (!res.headWritten() && !res.closed()) {
        res.setStatusCode(500).end();
      }
    }
  }
}
