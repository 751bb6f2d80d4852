// Headwater player page: lists live streams (/api/streams) and plays one in low-latency mode, over
// LL-HLS with hls.js (a WebJar) or LL-DASH with dash.js (fetched with npm at build time into
// /vendor; without it the page offers HLS only). ?protocol=dash picks DASH, ?stream=NAME a stream,
// ?src=URL any HLS URL. It also lists recordings (/api/recordings) and replays one with seeking
// (?recording=NAME/SESSION opens one directly). window.headwater exposes the figures the browser
// tests read; mode is 'live' or 'replay'.
(function () {
  'use strict';
  const video = document.getElementById('video');
  const params = new URLSearchParams(location.search);
  const state = {
    protocol: params.get('protocol') === 'dash' ? 'dash' : 'hls', dashAvailable: false,
    mode: 'live', recording: null, recordings: null, recordingsLoads: 0, engine: null,
    hls: null, dash: null, stream: null, stalls: 0, latency: NaN, g2g: NaN,
    g2gSamples: [], latencySamples: [], playing: false, errors: [], fatal: []
  };
  window.headwater = state;
  const select = document.getElementById('protocol');
  const $ = (id) => document.getElementById(id);

  // Each engine: start(url, replay), destroy(), latency() in seconds, level() as text.
  const engines = {
    hls: {
      name: 'hls.js',
      url: (stream) => '/live/' + encodeURIComponent(stream) + '/master.m3u8',
      start(url, replay) {
        // Live: maxLiveSyncPlaybackRate lets hls.js play slightly faster to return to PART-HOLD-BACK
        // after a hiccup. Replay: hls.js's ordinary VOD configuration, from the first segment (a
        // recording still being made is an EVENT playlist, which hls.js would join at its live edge).
        const hls = new Hls(replay
          ? { lowLatencyMode: false, startPosition: 0 }
          : { lowLatencyMode: true, backBufferLength: 30, maxLiveSyncPlaybackRate: 1.5 });
        state.hls = hls;
        hls.on(Hls.Events.ERROR, (e, data) => {
          state.errors.push(data.details + (data.fatal ? ' (fatal)' : ''));
          if (data.fatal) state.fatal.push(data.details);
          if (data.details === 'bufferStalledError') stalled();
          if (data.fatal && data.type === Hls.ErrorTypes.MEDIA_ERROR) {
            hls.recoverMediaError();
          } else if (data.fatal && data.type === Hls.ErrorTypes.NETWORK_ERROR) {
            // Live: the server may be restarting, try again. A replay has exhausted hls.js's own
            // retries of the file (deleted by retention, storage down): say so rather than loop.
            if (!replay) setTimeout(() => hls.startLoad(), 1000);
            else note('Replay failed: ' + data.details + (data.response ? ' (HTTP ' + data.response.code + ')' : ''));
          }
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
        // with availabilityTimeComplete="false", ServiceDescription) and follows the MPD's latency target;
        // a static MPD (replay) plays as VOD.
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
  // The engine playing now (a DASH replay the server does not serve falls back to HLS).
  const engine = () => engines[state.engine || state.protocol];

  function stalled() { state.stalls++; $('s-stalls').textContent = state.stalls; }
  // A stall for either engine: the element ran out of data after playback had started (hls.js also
  // reports its own, counted above). Waiting for the data at a seek target is not a stall.
  video.addEventListener('waiting', () => {
    if (state.playing && state.engine === 'dash' && !video.seeking) stalled();
  });
  // The element itself failed (a decode error, say): fatal for either engine.
  video.addEventListener('error', () => {
    const what = 'media error ' + (video.error ? video.error.code + ' ' + video.error.message : '');
    state.errors.push(what + ' (fatal)');
    state.fatal.push(what);
  });

  function sample() {
    if (!(state.hls || state.dash) || video.paused) return;
    const buf = video.buffered.length ? video.buffered.end(video.buffered.length - 1) - video.currentTime : 0;
    $('s-buffer').textContent = buf.toFixed(2) + ' s';
    $('s-level').textContent = engine().level();
    // A replay has no live edge and its burned-in clock is as old as the recording: no latency.
    if (state.mode !== 'live') return;
    state.latency = engine().latency();
    if (isFinite(state.latency)) state.latencySamples.push(state.latency);
    const g2g = HeadwaterClock.delay(video);
    if (g2g !== null) { state.g2g = g2g; state.g2gSamples.push(g2g); }
    if (state.latencySamples.length > 600) state.latencySamples.shift();
    if (state.g2gSamples.length > 600) state.g2gSamples.shift();
    $('s-latency').textContent = isFinite(state.latency) ? state.latency.toFixed(2) + ' s' : '—';
    $('s-g2g').textContent = isFinite(state.g2g) ? state.g2g.toFixed(2) + ' s' : '—';
  }

  // ?src=URL plays any HLS URL (same origin, so the clock stays readable): used to measure other servers.
  const src = params.get('src');
  // Bumped by every switch, so that a replay still checking its MPD does not start after a later click.
  let generation = 0;
  // ?recording=NAME/SESSION; while it is looked up, the live list must not start a stream.
  const deepLink = params.get('recording');
  let lookingUp = Boolean(deepLink && !src);

  function stop() {
    generation++;
    engines.hls.destroy();
    engines.dash.destroy();
    state.stalls = 0; state.latencySamples = []; state.g2gSamples = []; state.errors = []; state.fatal = [];
    state.playing = false; state.latency = NaN; state.g2g = NaN; state.engine = null;
    $('s-stalls').textContent = '0';
    $('s-latency').textContent = '—';
    $('s-g2g').textContent = '—';
    note('');
  }

  function play(stream) {
    stop();
    state.mode = 'live'; state.recording = null;
    state.stream = stream; state.engine = state.protocol;
    $('s-name').textContent = src || stream;
    $('s-player').textContent = engine().name;
    showMode();
    engine().start(src || engine().url(stream), false);
    video.play().catch(() => {});
  }

  // Replays a recording (an entry of /api/recordings) from its start, over HLS, or over DASH when the
  // DASH switch is on and the server serves the recording's MPD.
  async function replay(rec) {
    stop();
    const mine = generation;
    state.mode = 'replay';
    state.recording = { name: rec.name, session: rec.session, start: rec.start, protocol: null, url: null };
    setUrl(rec);
    showMode();
    let engineName = 'hls';
    if (state.protocol === 'dash' && state.dashAvailable) {
      if (await served(rec.playback.dash)) engineName = 'dash';
      if (mine !== generation) return;
      if (engineName !== 'dash') note('DASH replay is not served by this origin: replaying over HLS');
    }
    const url = rec.playback[engineName];
    state.engine = engineName;
    state.recording.protocol = engineName;
    state.recording.url = url;
    $('s-name').textContent = rec.name + ' (recording ' + rec.session + ')';
    $('s-player').textContent = engine().name;
    engine().start(url, true);
    video.play().catch(() => {});
  }

  async function served(url) {
    try {
      return (await fetch(url, { cache: 'no-store' })).ok;
    } catch (e) {
      return false;
    }
  }

  function goLive() {
    stop();
    state.mode = 'live'; state.recording = null;
    setUrl(null);
    showMode();
    refresh();
  }

  // The address bar names the replay, so it can be shared; back to live drops it.
  function setUrl(rec) {
    const p = new URLSearchParams(location.search);
    p.delete('recording');
    let q = p.toString();
    if (rec) q += (q ? '&' : '') + 'recording=' + encodeURIComponent(rec.name) + '/' + encodeURIComponent(rec.session);
    history.replaceState(null, '', location.pathname + (q ? '?' + q : ''));
  }

  function note(text) { $('mode-note').textContent = text; }

  function showMode() {
    const replaying = state.mode === 'replay';
    const label = $('mode-label');
    label.textContent = replaying ? 'REPLAY' : 'LIVE';
    label.className = 'badge ' + (replaying ? 'replay' : 'live');
    $('mode-title').textContent = replaying
      ? state.recording.name + ' · ' + localTime(state.recording.start)
      : lookingUp ? 'opening recording ' + deepLink + '…' : (state.stream || 'waiting for a live stream');
    $('back-to-live').hidden = !replaying;
    document.title = 'Headwater — ' + (replaying ? 'replay of ' + state.recording.name : 'live');
    document.querySelectorAll('#list li').forEach(li =>
      li.classList.toggle('active', !replaying && li.dataset.name === state.stream));
    document.querySelectorAll('#recordings-list li').forEach(li =>
      li.classList.toggle('active', replaying && li.dataset.name === state.recording.name
        && li.dataset.session === state.recording.session));
  }

  video.addEventListener('playing', () => { state.playing = true; });

  async function refresh() {
    try {
      const streams = await (await fetch('/api/streams')).json();
      const list = $('list');
      list.innerHTML = '';
      if (!streams.length) list.innerHTML = '<li class="muted">none yet</li>';
      for (const s of streams) {
        const li = document.createElement('li');
        li.textContent = s.name + (s.ready ? '' : ' (starting)');
        li.dataset.name = s.name;
        li.classList.toggle('active', state.mode === 'live' && s.name === state.stream);
        li.onclick = () => play(s.name);
        list.appendChild(li);
      }
      // Back from a replay, the stream watched before it; else ?stream=NAME; else the first ready one.
      const wanted = state.stream || params.get('stream');
      if (state.mode === 'live' && !lookingUp && !state.hls && !state.dash && (state.protocol === 'hls' || state.dashAvailable)) {
        const pick = streams.find(s => s.name === wanted && s.ready) || (!wanted && streams.find(s => s.ready));
        if (pick) play(pick.name);
      }
    } catch (e) { /* server restarting: try again */ }
  }

  const pad = (n) => String(n).padStart(2, '0');
  // Local time, unambiguous in any locale: 2026-12-02 10:21:03.
  function localTime(iso) {
    // The origin writes microseconds (Instant.toString); Date.parse promises milliseconds only.
    const d = new Date(String(iso).replace(/(\.\d{3})\d+/, '$1'));
    if (isNaN(d)) return '—';
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' '
      + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }
  // mm:ss, minutes not wrapped at an hour (75:03).
  function minutesSeconds(seconds) {
    const s = Math.max(0, Math.round(seconds || 0));
    return pad(Math.floor(s / 60)) + ':' + pad(s % 60);
  }
  function size(bytes) {
    if (!(bytes >= 0)) return '—';
    const units = ['B', 'kB', 'MB', 'GB', 'TB'];
    let v = bytes, i = 0;
    while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
    return (i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)) + ' ' + units[i];
  }
  function span(className, text) {
    const e = document.createElement('span');
    e.className = className;
    e.textContent = text;
    return e;
  }

  // Fetches /api/recordings and redraws the panel; resolves to the list, or null when it is not known.
  async function refreshRecordings() {
    const status = $('recordings-status');
    let recs;
    try {
      const res = await fetch('/api/recordings', { cache: 'no-store' });
      if (res.status === 404) {
        status.textContent = 'Recording is off on this origin.';
        $('recordings-list').replaceChildren();
        return null;
      }
      if (!res.ok) throw new Error('HTTP ' + res.status);
      recs = await res.json();
    } catch (e) {
      status.textContent = 'Cannot list recordings (' + e.message + '); retrying.';
      return null;
    }
    state.recordings = recs;
    state.recordingsLoads++;
    status.textContent = recs.length ? '' : 'none yet';
    const items = recs.map((r) => {
      const li = document.createElement('li');
      li.dataset.name = r.name;
      li.dataset.session = r.session;
      const b = document.createElement('button');
      b.type = 'button';
      b.title = 'Replay ' + r.name + ' (session ' + r.session + '; ' + (r.renditions || []).join(', ') + ')';
      b.appendChild(span('rec-name', r.name));
      if (!r.ended) {
        b.appendChild(document.createTextNode(' '));
        b.appendChild(span('badge recording', 'recording…'));
      }
      const meta = span('rec-meta', '');
      const start = document.createElement('time');
      start.className = 'rec-start';
      start.dateTime = r.start;
      start.title = r.start;
      start.textContent = localTime(r.start);
      meta.append(start, ' · ', span('rec-duration', minutesSeconds(r.durationSeconds)),
        ' · ', span('rec-size', size(r.sizeBytes)));
      b.appendChild(meta);
      b.onclick = () => replay(r);
      li.appendChild(b);
      return li;
    });
    $('recordings-list').replaceChildren(...items);
    showMode();
    return recs;
  }

  // ?recording=NAME/SESSION: replay that recording at once, if the origin lists it.
  async function openDeepLink(link) {
    const cut = link.indexOf('/');
    const name = cut > 0 ? link.slice(0, cut) : link, session = cut > 0 ? link.slice(cut + 1) : '';
    const recs = await refreshRecordings();
    lookingUp = false;
    const rec = recs && recs.find(r => r.name === name && r.session === session);
    if (rec) {
      replay(rec);
    } else {
      goLive();
      note('Recording ' + link + (recs ? ' is not listed by this origin' : ' cannot be looked up') + '; showing live.');
    }
  }

  select.addEventListener('change', () => {
    state.protocol = select.value;
    if (state.mode === 'replay' && state.recording) {
      const rec = (state.recordings || []).find(r =>
        r.name === state.recording.name && r.session === state.recording.session);
      if (rec) replay(rec);
    } else if (state.stream) {
      play(state.stream);
    }
  });
  $('back-to-live').addEventListener('click', goLive);
  $('recordings-refresh').addEventListener('click', refreshRecordings);

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
      $('recordings').hidden = true;
    } else {
      if (deepLink) openDeepLink(deepLink); else refreshRecordings();
      refresh();
      setInterval(refresh, 2000);
      setInterval(refreshRecordings, 10000);
    }
  });
  setInterval(sample, 250);
})();
