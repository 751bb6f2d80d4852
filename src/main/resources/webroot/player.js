// Headwater player page: lists live streams (/api/streams) and plays one in low-latency mode, over
// LL-HLS with hls.js (a WebJar) or LL-DASH with dash.js (fetched with npm at build time into
// /vendor; without it the page offers HLS only). ?protocol=dash picks DASH, ?stream=NAME a stream,
// ?src=URL any HLS URL. window.headwater exposes the figures the browser tests read.
(function () {
  'use strict';
  const video = document.getElementById('video');
  const params = new URLSearchParams(location.search);
  const state = {
    protocol: params.get('protocol') === 'dash' ? 'dash' : 'hls', dashAvailable: false,
    hls: null, dash: null, stream: null, stalls: 0, latency: NaN, g2g: NaN,
    g2gSamples: [], latencySamples: [], playing: false, errors: []
  };
  window.headwater = state;
  const select = document.getElementById('protocol');

  // Each engine: start(url), destroy(), latency() in seconds, level() as text.
  const engines = {
    hls: {
      name: 'hls.js',
      url: (stream) => '/live/' + encodeURIComponent(stream) + '/master.m3u8',
      start(url) {
        // maxLiveSyncPlaybackRate lets hls.js play slightly faster to return to PART-HOLD-BACK after a hiccup.
        const hls = new Hls({ lowLatencyMode: true, backBufferLength: 30, maxLiveSyncPlaybackRate: 1.5 });
        state.hls = hls;
        hls.on(Hls.Events.ERROR, (e, data) => {
          state.errors.push(data.details + (data.fatal ? ' (fatal)' : ''));
          if (data.details === 'bufferStalledError') stalled();
          if (data.fatal && data.type === Hls.ErrorTypes.NETWORK_ERROR) setTimeout(() => hls.startLoad(), 1000);
          else if (data.fatal && data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
        });
        hls.loadSource(url);
        hls.attachMedia(video);
      },
      destroy() { if (state.hls) state.hls.destroy(); state.hls = null; },
      latency: () => state.hls ? state.hls.latency : NaN,
      level() {
        const lvl = state.hls && state.hls.levels && state.hls.levels[state.hls.currentLevel];
        return lvl ? lvl.height + 'p @ ' + Math.round(lvl.bitrate / 1000) + ' kbit/s' : '—';
      }
    },
    dash: {
      name: 'dash.js',
      url: (stream) => '/live/' + encodeURIComponent(stream) + '/manifest.mpd',
      start(url) {
        // dash.js's defaults: its low-latency mode turns itself on for this MPD (availabilityTimeOffset
        // with availabilityTimeComplete="false", ServiceDescription) and follows the MPD's latency target.
        const player = dashjs.MediaPlayer().create();
        state.dash = player;
        player.on(dashjs.MediaPlayer.events.ERROR, (e) => {
          state.errors.push((e.error && (e.error.code + ' ' + e.error.message)) || String(e));
        });
        player.initialize(video, url, true);
      },
      destroy() { if (state.dash) state.dash.reset(); state.dash = null; },
      latency: () => state.dash ? state.dash.getCurrentLiveLatency() : NaN,
      level() {
        try {
          const r = state.dash && state.dash.getCurrentRepresentationForType('video');
          return r ? r.height + 'p @ ' + Math.round(r.bandwidth / 1000) + ' kbit/s' : '—';
        } catch (e) { return '—'; }
      }
    }
  };
  const engine = () => engines[state.protocol];

  function stalled() { state.stalls++; document.getElementById('s-stalls').textContent = state.stalls; }
  // A stall for either engine: the element ran out of data after playback had started (hls.js also
  // reports its own, counted above).
  video.addEventListener('waiting', () => { if (state.playing && state.protocol === 'dash') stalled(); });

  function sample() {
    if (!(state.hls || state.dash) || video.paused) return;
    state.latency = engine().latency();
    if (isFinite(state.latency)) state.latencySamples.push(state.latency);
    const g2g = HeadwaterClock.delay(video);
    if (g2g !== null) { state.g2g = g2g; state.g2gSamples.push(g2g); }
    if (state.latencySamples.length > 600) state.latencySamples.shift();
    if (state.g2gSamples.length > 600) state.g2gSamples.shift();
    const buf = video.buffered.length ? video.buffered.end(video.buffered.length - 1) - video.currentTime : 0;
    document.getElementById('s-latency').textContent = isFinite(state.latency) ? state.latency.toFixed(2) + ' s' : '—';
    document.getElementById('s-g2g').textContent = isFinite(state.g2g) ? state.g2g.toFixed(2) + ' s' : '—';
    document.getElementById('s-buffer').textContent = buf.toFixed(2) + ' s';
    document.getElementById('s-level').textContent = engine().level();
  }

  // ?src=URL plays any HLS URL (same origin, so the clock stays readable): used to measure other servers.
  const src = params.get('src');

  function play(stream) {
    engines.hls.destroy();
    engines.dash.destroy();
    state.stream = stream; state.stalls = 0; state.latencySamples = []; state.g2gSamples = []; state.errors = [];
    state.playing = false;
    document.getElementById('s-name').textContent = src || stream;
    document.getElementById('s-player').textContent = engine().name;
    engine().start(src || engine().url(stream));
    video.play().catch(() => {});
    document.querySelectorAll('#list li').forEach(li => li.classList.toggle('active', li.dataset.name === stream));
  }

  video.addEventListener('playing', () => { state.playing = true; });

  async function refresh() {
    try {
      const streams = await (await fetch('/api/streams')).json();
      const list = document.getElementById('list');
      list.innerHTML = '';
      if (!streams.length) list.innerHTML = '<li class="muted">none yet</li>';
      for (const s of streams) {
        const li = document.createElement('li');
        li.textContent = s.name + (s.ready ? '' : ' (starting)');
        li.dataset.name = s.name;
        li.classList.toggle('active', s.name === state.stream);
        li.onclick = () => play(s.name);
        list.appendChild(li);
      }
      const wanted = params.get('stream');
      if (!state.hls && !state.dash && (state.protocol === 'hls' || state.dashAvailable)) {
        const pick = streams.find(s => s.name === wanted && s.ready) || (!wanted && streams.find(s => s.ready));
        if (pick) play(pick.name);
      }
    } catch (e) { /* server restarting: try again */ }
  }

  select.addEventListener('change', () => {
    state.protocol = select.value;
    if (state.stream) play(state.stream);
  });

  // dash.js is optional: the build bundles it only where npm was available.
  function loadDash() {
    return new Promise((resolve) => {
      const s = document.createElement('script');
      s.src = '/vendor/dashjs/dash.all.min.js';
      s.onload = () => resolve(typeof dashjs !== 'undefined');
      s.onerror = () => resolve(false);
      document.head.appendChild(s);
    });
  }

  loadDash().then((ok) => {
    state.dashAvailable = ok;
    select.querySelector('option[value=dash]').disabled = !ok;
    if (!ok) {
      document.getElementById('protocol-note').textContent =
        'DASH player not bundled (built without npm); the server still serves /live/NAME/manifest.mpd';
      state.protocol = 'hls';
    }
    select.value = state.protocol;
    if (src) {
      play(src);
    } else {
      refresh();
      setInterval(refresh, 2000);
    }
  });
  setInterval(sample, 250);
})();
