#!/usr/bin/env node
// Playlist conformance check for the integration tests (dev.headwater.it.PlaylistConformance).
//
// Two parsers that Headwater's authors did not write read every playlist an integration test fetches,
// so a mistake in our writer cannot hide behind a test reader that shares its assumptions:
// - hls-parser in strict mode: throws on the first rule of draft-pantos-hls-rfc8216bis it finds broken;
// - m3u8-parser (video.js / VHS): emits 'warn' events; every warning counts as a failure.
// Each parser decides on its own whether the text is a multivariant or a media playlist.
// MPDs ({"kind": "mpd"}) are read by mpd-parser (video.js / VHS), which must accept the MPD and find
// in it video and audio with segments (it works the numbers of a dynamic MPD out from the clock).
//
// Protocol: one long-lived process per test JVM (starting node costs ~100 ms, a check well under 1 ms).
// stdin: one JSON object per line, {"uri": "...", "text": "..."}.
// stdout: one JSON object per request, in order, {"ok": true|false, "errors": ["parser: message", ...]}.
'use strict';

const readline = require('readline');
const HLS = require('hls-parser');
const { Parser } = require('m3u8-parser');
const mpdParser = require('mpd-parser');

HLS.setOptions({ strictMode: true });

function checkHlsParser(text) {
  try {
    HLS.parse(text);
    return [];
  } catch (e) {
    return ['hls-parser: ' + (e && e.message ? e.message : String(e))];
  }
}

function checkM3u8Parser(uri, text) {
  const errors = [];
  // The uri only feeds EXT-X-DEFINE QUERYPARAM lookups; m3u8-parser resolves it against a dummy base.
  const parser = new Parser({ uri: uri || '' });
  parser.on('warn', (w) => errors.push('m3u8-parser: ' + (w && w.message ? w.message : JSON.stringify(w))));
  try {
    parser.push(text);
    parser.end();
  } catch (e) {
    errors.push('m3u8-parser threw: ' + (e && e.message ? e.message : String(e)));
  }
  return errors;
}

function checkMpd(uri, text) {
  const errors = [];
  try {
    const m = mpdParser.parse(text, { manifestUri: uri || 'http://origin.invalid/manifest.mpd', NOW: Date.now(), clientOffset: 0 });
    const video = m.playlists || [];
    if (video.length === 0) errors.push('mpd-parser: no video Representation');
    for (const p of video) {
      if (!p.segments || p.segments.length === 0) errors.push('mpd-parser: no segment in ' + (p.attributes && p.attributes.NAME));
    }
    const audio = Object.values((m.mediaGroups && m.mediaGroups.AUDIO) || {});
    if (audio.length === 0) errors.push('mpd-parser: no audio AdaptationSet');
  } catch (e) {
    errors.push('mpd-parser threw: ' + (e && e.message ? e.message : String(e)));
  }
  return errors;
}

function check(request) {
  if (typeof request.text !== 'string') {
    return { ok: false, errors: ['request has no "text" string'] };
  }
  if (request.kind === 'mpd') {
    const errors = checkMpd(request.uri, request.text);
    return { ok: errors.length === 0, errors };
  }
  const errors = checkHlsParser(request.text).concat(checkM3u8Parser(request.uri, request.text));
  return { ok: errors.length === 0, errors };
}

const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
input.on('line', (line) => {
  if (line.trim() === '') {
    return;
  }
  let answer;
  try {
    answer = check(JSON.parse(line));
  } catch (e) {
    answer = { ok: false, errors: ['bad request line: ' + e.message] };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
});
