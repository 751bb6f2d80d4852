// Headwater player page: lists live streams (/api/streams) and plays one with hls.js in low-latency mode.
// window.headwater exposes the figures the browser test reads (latency, glass-to-glass, stalls).
(function () {
  'use strict';
  const video = document.getElementById('video');
  const state = { hls: null, stream: null, stalls: 0, latency: NaN, g2g: NaN, g2gSamples: [], latencySamples: [], playing: false, errors: [] };
  window.headwater = state;

  function sample() {
    if (!state.hls || video.paused) return;
    state.latency = state.hls.latency;
    if (isFinite(state.latency)) state.latencySamples.push(state.latency);
    const g2g = HeadwaterClock.delay(video);
    if (g2g !== null) { state.g2g = g2g; state.g2gSamples.push(g2g); }
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
