package dev.headwater.record;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of {@code recording.json}, {@code entries/MSN.json} and {@code index.json}. A field this
 * version does not know is ignored, so an older origin can still read a newer recording.
 */
final class RecordingJson {
  private RecordingJson() {}

  static byte[] bytes(JsonObject json) {
    return json.encode().getBytes(StandardCharsets.UTF_8);
  }

  static JsonObject parse(byte[] bytes) {
    return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
  }

  /** recording.json: everything but the entries. */
  static JsonObject header(Recording r) {
    JsonArray renditions = new JsonArray();
    for (RecordedRendition x : r.renditions()) {
      renditions.add(
          new JsonObject()
              .put("name", x.name())
              .put("audio", x.audio())
              .put("peakBandwidth", x.peakBandwidth())
              .put("averageBandwidth", x.averageBandwidth())
              .put("frameRate", x.frameRate())
              .put("codec", x.codec())
              .put("width", x.width())
              .put("height", x.height())
              .put("timescale", x.timescale())
              .put("channels", x.channels()));
    }
    return new JsonObject()
        .put("version", 1)
        .put("name", r.name())
        .put("session", r.session())
        .put("startedAt", r.startedAt().toString())
        .put("renditions", renditions);
  }

  /** index.json: the header, every entry, and that the recording ended. */
  static JsonObject index(Recording r) {
    JsonArray entries = new JsonArray();
    for (RecordingEntry e : r.entries()) {
      entries.add(entry(e));
    }
    return header(r).put("ended", true).put("entries", entries);
  }

  static JsonObject entry(RecordingEntry e) {
    JsonObject segments = new JsonObject();
    for (Map.Entry<String, RecordedSegment> s : e.segments().entrySet()) {
      RecordedSegment v = s.getValue();
      segments.put(
          s.getKey(),
          new JsonObject()
              .put("init", v.init())
              .put("duration", v.duration())
              .put("durationTicks", v.durationTicks())
              .put("startTicks", v.startTicks())
              .put("size", v.size())
              .put("discontinuity", v.discontinuity())
              .put(
                  "programDateTime",
                  v.programDateTime() == null ? null : v.programDateTime().toString()));
    }
    return new JsonObject()
        .put("msn", e.msn())
        .put("discontinuity", e.discontinuity())
        .put("programDateTime", e.programDateTime().toString())
        .put("segments", segments);
  }

  static Recording recording(JsonObject json, List<RecordingEntry> entries, boolean ended) {
    List<RecordedRendition> renditions = new ArrayList<>();
    for (Object o : json.getJsonArray("renditions")) {
      JsonObject x = (JsonObject) o;
      renditions.add(
          new RecordedRendition(
              x.getString("name"),
              x.getBoolean("audio"),
              x.getLong("peakBandwidth"),
              x.getLong("averageBandwidth"),
              x.getDouble("frameRate"),
              x.getString("codec"),
              x.getInteger("width"),
              x.getInteger("height"),
              x.getLong("timescale"),
              // Absent from recordings made before it was kept.
              x.getInteger("channels", 0)));
    }
    return new Recording(
        json.getString("name"),
        json.getString("session"),
        Instant.parse(json.getString("startedAt")),
        renditions,
        entries,
        ended);
  }

  static List<RecordingEntry> entries(JsonArray array) {
    List<RecordingEntry> out = new ArrayList<>(array.size());
    for (Object o : array) {
      out.add(entry((JsonObject) o));
    }
    return out;
  }

  static RecordingEntry entry(JsonObject json) {
    boolean groupDiscontinuity = json.getBoolean("discontinuity");
    Map<String, RecordedSegment> segments = new LinkedHashMap<>();
    JsonObject s = json.getJsonObject("segments");
    for (String name : s.fieldNames()) {
      JsonObject v = s.getJsonObject(name);
      segments.put(
          name,
          new RecordedSegment(
              v.getInteger("init"),
              v.getDouble("duration"),
              v.getLong("durationTicks"),
              v.getLong("startTicks"),
              v.getLong("size"),
              v.getBoolean("discontinuity", groupDiscontinuity),
              v.getString("programDateTime") == null
                  ? null
                  : Instant.parse(v.getString("programDateTime"))));
    }
    return new RecordingEntry(
        json.getLong("msn"),
        groupDiscontinuity,
        Instant.parse(json.getString("programDateTime")),
        segments);
  }
}
