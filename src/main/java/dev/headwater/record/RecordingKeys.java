package dev.headwater.record;

/**
 * Where each object of a recording lives in the {@link ObjectStore}:
 *
 * <pre>
 * NAME/SESSION/recording.json        what was recorded: the renditions (written first)
 * NAME/SESSION/REND/init-RUN.mp4     each init section of each rendition
 * NAME/SESSION/REND/sMSN.m4s         each segment of each rendition
 * NAME/SESSION/entries/MSN.json      one per segment group, written only after all its media
 * NAME/SESSION/index.json            the whole recording, written when it ends (entries removed)
 * </pre>
 *
 * An entry names media that is already stored, so whatever is listed is playable: a crash leaves
 * the recording up to its last entry.
 */
public final class RecordingKeys {
  public static final String RECORDING = "recording.json";
  public static final String INDEX = "index.json";
  public static final String ENTRIES = "entries/";

  private RecordingKeys() {}

  public static String base(String name, String session) {
    return name + "/" + session + "/";
  }

  public static String recording(String name, String session) {
    return base(name, session) + RECORDING;
  }

  public static String index(String name, String session) {
    return base(name, session) + INDEX;
  }

  /** Zero-padded so that the store lists entries in MSN order. */
  public static String entry(String name, String session, long msn) {
    return base(name, session) + ENTRIES + String.format("%012d.json", msn);
  }

  public static String init(String name, String session, String rendition, int run) {
    return base(name, session) + rendition + "/init-" + run + ".mp4";
  }

  public static String segment(String name, String session, String rendition, long msn) {
    return base(name, session) + rendition + "/s" + msn + ".m4s";
  }
}
