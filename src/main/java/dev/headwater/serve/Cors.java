package dev.headwater.serve;

import dev.headwater.config.CorsOrigins;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * CORS headers that are safe in a shared cache (Fetch standard, "CORS protocol and HTTP caches").
 * Every response of the public listener carries them, decided before any handler runs, so that no
 * path (the fast {@link LiveDispatch}, the router, a parked request answered later, a streaming
 * response, an error) can miss them.
 *
 * <ul>
 *   <li>{@code http.corsOrigin: "*"}: {@code Access-Control-Allow-Origin: *} on every response,
 *       whether or not the request had an {@code Origin}. The response is then the same for every
 *       client, so a CDN edge may store it and hand it to a browser after a client without {@code
 *       Origin} (curl, another edge, a native player) fetched it.
 *   <li>a list of origins: the request's {@code Origin} echoed when it is in the list (nothing
 *       otherwise), and {@code Vary: Origin} on every response, with or without {@code Origin}, so
 *       a cache keeps one copy per origin and never serves one origin's answer to another.
 * </ul>
 *
 * A preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) is answered here: 204,
 * the methods Headwater serves, the request headers the browser asked for, and a day's {@code
 * Access-Control-Max-Age}. No credentials are ever allowed (players fetch without cookies).
 */
final class Cors {
  // Pre-encoded: a wake pass writes these into thousands of responses. Lower-case names (HTTP/2).
  private static final CharSequence H_ALLOW_ORIGIN =
      HttpHeaders.createOptimized("access-control-allow-origin");
  private static final CharSequence H_EXPOSE_HEADERS =
      HttpHeaders.createOptimized("access-control-expose-headers");
  private static final CharSequence H_VARY = HttpHeaders.createOptimized("vary");
  private static final CharSequence H_ALLOW_METHODS =
      HttpHeaders.createOptimized("access-control-allow-methods");
  private static final CharSequence H_ALLOW_HEADERS =
      HttpHeaders.createOptimized("access-control-allow-headers");
  private static final CharSequence H_MAX_AGE =
      HttpHeaders.createOptimized("access-control-max-age");
  private static final CharSequence H_REQUEST_METHOD =
      HttpHeaders.createOptimized("access-control-request-method");
  private static final CharSequence H_REQUEST_HEADERS =
      HttpHeaders.createOptimized("access-control-request-headers");
  private static final CharSequence H_CACHE_CONTROL = HttpHeaders.createOptimized("cache-control");
  private static final CharSequence ANY = HttpHeaders.createOptimized("*");
  // Content-Length for progress; Age and Date for players that estimate the live edge or the
  // clock from them (dash.js reads Date when asked to sync by an http-head UTCTiming).
  private static final CharSequence EXPOSED =
      HttpHeaders.createOptimized("Content-Length, Age, Date");
  private static final CharSequence V_ORIGIN = HttpHeaders.createOptimized("Origin");
  private static final CharSequence V_METHODS = HttpHeaders.createOptimized("GET, HEAD, OPTIONS");
  private static final CharSequence V_MAX_AGE = HttpHeaders.createOptimized("86400");
  private static final CharSequence V_ACCEPT_ENCODING =
      HttpHeaders.createOptimized("Accept-Encoding");
  private static final CharSequence V_ACCEPT_ENCODING_ORIGIN =
      HttpHeaders.createOptimized("Accept-Encoding, Origin");

  /** Null for the wildcard; else the allowed origins, compared case-insensitively. */
  private final List<String> origins;

  private Cors(List<String> origins) {
    this.origins = origins;
  }

  /** From {@code http.corsOrigin}, already validated ({@link CorsOrigins}). */
  static Cors of(String setting) {
    List<String> origins = CorsOrigins.parse(setting);
    return new Cors(origins.isEmpty() ? null : origins);
  }

  /**
   * The {@code Vary} value of a response that also varies with {@code Accept-Encoding} (gzipped
   * playlists and MPDs): a handler that sets {@code Vary} must keep {@code Origin} in it.
   */
  CharSequence varyWithAcceptEncoding() {
    return origins == null ? V_ACCEPT_ENCODING : V_ACCEPT_ENCODING_ORIGIN;
  }

  /** Puts the CORS headers on the request's response; called once per request, on arrival. */
  void decorate(HttpServerRequest req) {
    MultiMap h = req.response().headers();
    if (origins == null) {
      h.set(H_ALLOW_ORIGIN, ANY);
      h.set(H_EXPOSE_HEADERS, EXPOSED);
      return;
    }
    h.set(H_VARY, V_ORIGIN);
    String origin = req.getHeader(HttpHeaders.ORIGIN);
    if (origin != null && allowed(origin)) {
      h.set(H_ALLOW_ORIGIN, origin);
      h.set(H_EXPOSE_HEADERS, EXPOSED);
    }
  }

  private boolean allowed(String origin) {
    for (String o : origins) {
      if (o.equalsIgnoreCase(origin)) {
        return true;
      }
    }
    return false;
  }

  /** True for a CORS preflight: OPTIONS with {@code Access-Control-Request-Method}. */
  static boolean isPreflight(HttpServerRequest req) {
    return req.method() == HttpMethod.OPTIONS && req.headers().contains(H_REQUEST_METHOD);
  }

  /**
   * Answers a preflight (its response already {@link #decorate decorated}): 204 with the methods
   * and the headers asked for. A disallowed origin gets no {@code Access-Control-Allow-Origin}, so
   * the browser refuses the request that would follow.
   */
  void preflight(HttpServerRequest req) {
    HttpServerResponse res = req.response();
    res.putHeader(H_ALLOW_METHODS, V_METHODS).putHeader(H_MAX_AGE, V_MAX_AGE);
    String asked = req.getHeader(H_REQUEST_HEADERS);
    if (asked != null && !asked.isBlank()) {
      res.putHeader(H_ALLOW_HEADERS, asked);
      if (origins != null) {
        res.putHeader(H_VARY, "Origin, Access-Control-Request-Headers");
      } else {
        res.putHeader(H_VARY, "Access-Control-Request-Headers");
      }
    }
    res.putHeader(H_CACHE_CONTROL, CachePolicy.NO_STORE).setStatusCode(204).end();
  }
}
