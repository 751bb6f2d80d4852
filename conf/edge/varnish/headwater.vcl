# Varnish 7 edge in front of a Headwater origin (written for Varnish 7.1 as Debian 12 packages it:
# apt-get install varnish). It adds almost nothing to Varnish's defaults, because those already do
# what a low-latency origin wants; the comments say why each default matters and what changed.
#
#   varnishd -a :80 -f /etc/varnish/headwater.vcl -s malloc,1g -p feature=+http2
#
# (Debian's service runs /etc/varnish/default.vcl on port 6081: "systemctl edit --full varnish" and
# change -a and -f in ExecStart. The malloc size bounds the cache: a rendition's live window of
# 72 s is ~25 MB at 2.8 Mbit/s, so 1 GB holds a few dozen streams' ladders.)
#
# - Cache key: the full URL with its query string (Varnish's built-in vcl_hash: req.url + Host).
#   Blocking playlist reloads (_HLS_msn, _HLS_part) and delta updates (_HLS_skip) are distinct
#   objects; players send the directives in canonical order (RFC 8216bis 6.2.5), so the URLs of
#   viewers at the same position are equal and share one object.
# - TTLs: the origin's Cache-Control, unchanged: s-maxage, else max-age (Varnish's built-in rule).
#   A blocking playlist 12 s, a live playlist 1 s (s-maxage; max-age=0 keeps it out of the
#   browser's cache), media 72 s, a 404 1 s; 400, 503, /time, /health no-store. Nothing without Cache-Control or
#   Expires is stored (Varnish would otherwise keep it default_ttl = 120 s). No grace unless the
#   origin asks for it (stale-while-revalidate): a stale playlist or 404 is wrong at once for live.
# - Request collapsing: Varnish's waiting list (on by default). Twenty viewers parked on the same
#   _HLS_msn/_HLS_part cause one request to the origin, which answers when the part exists.
# - Streaming: beresp.do_stream (the default since Varnish 4). A segment or hinted part that the
#   origin streams while it is produced is passed on chunk by chunk, to the viewer whose request
#   fetched it and to every viewer that asks while it is still arriving; one origin fetch per edge.
# - CORS: the origin puts its CORS headers on every response (Access-Control-Allow-Origin: *, or
#   Vary: Origin with a list of origins: Varnish keeps a variant per Origin), so nothing is done
#   here. Preflight OPTIONS requests are passed to the origin.
# - The origin counts parked requests per client address: add the edges' addresses to the origin's
#   http.trustedClients, or the waiters of many viewers behind one edge hit the per-client share.

vcl 4.1;

# The Headwater origin's public HTTP listener (http.host:http.port). Replace ORIGIN_HOST and
# ORIGIN_PORT (the tests substitute them); an unreplaced placeholder fails the VCL compile.
backend headwater {
    .host = "ORIGIN_HOST";
    .port = "ORIGIN_PORT";
    .connect_timeout = 2s;
    # A blocking playlist request is held by the origin up to 3 target durations (6 s) before its
    # 503; a segment requested ahead of time is held up to 6 s before its first byte.
    .first_byte_timeout = 15s;
    # A streamed segment sends a chunk per frame; the origin cuts one stalled for 6 s itself.
    .between_bytes_timeout = 10s;
}

# Several origins of one cluster (README, "Running several origins"): any origin answers for any
# stream, so the edge may spread misses over all of them, skipping one whose /health says it is
# unfit or that does not answer (found within two probes, 4 s). Replace the backend above with one
# copy per origin, each under its own name with its host and port, the same timeouts and the line
#     .probe = headwater_health;
# then put the first part below right after "vcl 4.1;" and the second before "sub vcl_recv"
# (Varnish runs the bodies of a sub defined twice one after the other). ClusterIT builds its edge
# from exactly these lines.
#
#   import directors;
#   probe headwater_health {
#       .url = "/health"; .interval = 2s; .timeout = 1s; .window = 3; .threshold = 2;
#   }
#   ---
#   sub vcl_init {
#       new origins = directors.round_robin();
#       origins.add_backend(origin_a);
#       origins.add_backend(origin_b);
#   }
#   sub vcl_recv {
#       set req.backend_hint = origins.backend();
#   }

sub vcl_recv {
    if (req.method != "GET" && req.method != "HEAD") {
        # CORS preflights and anything else: answered by the origin, never stored.
        return (pass);
    }
    # Headwater neither sets nor reads cookies; a page's cookies must not make media uncacheable
    # (the built-in vcl_recv passes any request with a Cookie).
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Streaming of in-progress responses (already the default; stated because it matters).
    set beresp.do_stream = true;

    # No grace and no keep beyond what the origin says: the built-in default_grace (10 s) would
    # serve a live playlist or a 404 up to 10 s after its TTL.
    if (beresp.http.Cache-Control !~ "(?i)stale-while-revalidate") {
        set beresp.grace = 0s;
    }
    set beresp.keep = 0s;

    if (beresp.ttl <= 0s
        || beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)no-store|no-cache|private"
        || beresp.http.Vary == "*"
        || (!beresp.http.Cache-Control && !beresp.http.Expires)) {
        # Not stored. Varnish remembers "do not wait for this URL" (hit-for-miss) for beresp.ttl;
        # the built-in 120 s would stop collapsing a URL for two minutes after one 503 (a blocking
        # request that timed out), so remember it for one second only.
        set beresp.uncacheable = true;
        set beresp.ttl = 1s;
        return (deliver);
    }
    # Cacheable: beresp.ttl is the origin's s-maxage, else max-age (less any Age), unchanged.
    return (deliver);
}

sub vcl_deliver {
    # For operators and the tests: whether this edge answered from its cache.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
