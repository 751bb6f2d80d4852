// Reads the burned-in clock of Headwater's test pattern (see BurnedInClock.java) from a playing <video>:
// 26 cells along the bottom, bits 0..23 of the capture time in ms, cell 24 white, cell 25 black.
// Shared by the player page and the stock-player page the tests and benchmarks use.
(function () {
  'use strict';
  const CELLS = 26, BITS = 24;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });

  // The capture time (ms, modulo 2^24) of the frame on screen, or null when the picture has no clock.
  function read(video) {
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

  // Glass-to-glass delay in seconds of the frame on screen (capture clock → now), or null.
  function delay(video) {
    const clock = read(video);
    if (clock === null) return null;
    const mod = 2 ** BITS;
    let d = (Date.now() % mod) - clock;
    if (d < 0) d += mod;
    return d < 60000 ? d / 1000 : null;
  }

  window.HeadwaterClock = { read, delay };
})();
