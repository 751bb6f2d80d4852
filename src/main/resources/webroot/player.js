// Headwater player page: lists live streams (/api/streams) and plays one with hls.js in low-latency mode.
// window.headwater exposes the figures the browser test reads (latency, glass-to-glass, stalls).
(function () {
  'use strict';
  const video = document.getElementById('video');
  const state = { hls: null, stream: null, stalls: 0, latency: NaN, g2g: NaN, g2gSamples: [], latencySamples: [], playing: false, errors: [] };
  window.headwater = state;

  // The burned-in clock (see BurnedInClock.java): 26 cells along the bottom, bits 0..23 of the capture
  // time in ms, cell 24 white, cell 25 black.
  const CELLS = 26, BITS = 24;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });

  function readClock() {
    const w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) return null;
    canvas.width = w; canvas.height = h;
    ctx.drawImage(video, 0, 0, w, h);
    // Geometry scales with the picture: cell = width / 32 at any rendition size; sample each cell's centre.
    const c = w / (CELLS + 6);
    const y = Math.round(h - c);
    const row = ctx.getImageData(0, y, w, 1).data;
    const lum = (i) => { const x = Math.round(c / 4 + i * c + c / 2); return row[x * 4] * 0.3 + row[x * 4 + 1] * 0.59 + row[x * 4 + 2] * 0.11; };
    if (lum(24) < 160 || lum(25) > 90) return null; // markers absent: not a Headwater test pattern
    let ms = 0;
    for (let i = 0; i < BITS; i++) if (lum(i) > 128) ms += 2 ** i;
    return ms;
  }

  function sample() {
    if (!state.hls || video.paused) return;
    state.latency = state.hls.latency;
    if (isFinite(state.latency)) state.latencySamples.push(state.latency);
    const clock = readClock();
    if (clock !== null) {
      const mod = 2 ** BITS;
      let d = (Date.now() % mod) - clock;
      if (d < 0) d += mod;
      if (d < 60000) { state.g2g = d / 1000; state.g2gSamples.push(state.g2g); }
    }
    if (state.latencySamples.length > 600) state.latencySamples.shift();
    if (state.g2gSamples.length > 600) state.g2gSamples.shift();
    const buf = video.buffered.length ? video.buffered.end(video.buffered.length - 1) - video.currentTime : 0;
    document.getElementById('s-latency').textContent = isFinite(state.latency) ? state.latency.toFixed(2) + ' s' : '—';
    document.getElementById('s-g2g').textContent = isFinite(state.g2g) ? state.g2g.toFixed(2) + ' s' : '—';
    document.getElementById('s-buffer').textContent = buf.toFixed(2) + ' s';
    const lvl = state.hls.levels && state.hls.levels[state.hls.currentLevel];
    document.getElementById('s-level').textContent = lvl ? lvl.height + 'p @ ' + Math.round(lvl.bitrate / 1000) + ' kbit/s' : '—';
  }

  // ?src=URL plays any HLS URL (same origin, so the clock stays readable): used to measure other servers.
  const src = new URLSearchParams(location.search).get('src');

  function play(stream) {
    if (state.hls) state.hls.destroy();
    state.stream = stream; state.stalls = 0; state.latencySamples = []; state.g2gSamples = []; state.errors = [];
    document.getElementById('s-name').textContent = src || stream;
    // maxLiveSyncPlaybackRate lets hls.js play slightly faster to return to PART-HOLD-BACK after a hiccup.
    const hls = new Hls({ lowLatencyMode: true, backBufferLength: 30, maxLiveSyncPlaybackRate: 1.5 });
    state.hls = hls;
    hls.on(Hls.Events.ERROR, (e, data) => {
      state.errors.push(data.details + (data.fatal ? ' (fatal)' : ''));
      if (data.details === 'bufferStalledError') { state.stalls++; document.getElementById('s-stalls').textContent = state.stalls; }
      if (data.fatal && data.type === Hls.ErrorTypes.NETWORK_ERROR) setTimeout(() => hls.startLoad(), 1000);
      else if (data.fatal && data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
    });
    hls.loadSource(src || '/live/' + encodeURIComponent(stream) + '/master.m3u8');
    hls.attachMedia(video);
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
      const wanted = new URLSearchParams(location.search).get('stream');
      if (!state.hls) {
        const pick = streams.find(s => s.name === wanted && s.ready) || (!wanted && streams.find(s => s.ready));
        if (pick) play(pick.name);
      }
    } catch (e) { /* server restarting: try again */ }
  }

  if (src) {
    play(src);
  } else {
    refresh();
    setInterval(refresh, 2000);
  }
  setInterval(sample, 250);
})();
