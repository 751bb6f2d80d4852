package dev.headwater.media.isobmff;

/**
 * Four-character box and brand codes as big-endian ints, so hot paths compare ints instead of
 * allocating strings.
 */
public final class FourCc {
  public static final int FTYP = of("ftyp");
  public static final int MOOV = of("moov");
  public static final int MOOF = of("moof");
  public static final int MDAT = of("mdat");
  public static final int STYP = of("styp");
  public static final int PRFT = of("prft");
  public static final int EMSG = of("emsg");
  public static final int TRAK = of("trak");
  public static final int TKHD = of("tkhd");
  public static final int MDIA = of("mdia");
  public static final int MDHD = of("mdhd");
  public static final int HDLR = of("hdlr");
  public static final int MINF = of("minf");
  public static final int STBL = of("stbl");
  public static final int STSD = of("stsd");
  public static final int MVEX = of("mvex");
  public static final int TREX = of("trex");
  public static final int TRAF = of("traf");
  public static final int TFHD = of("tfhd");
  public static final int TFDT = of("tfdt");
  public static final int TRUN = of("trun");
  public static final int AVC1 = of("avc1");
  public static final int AVC3 = of("avc3");
  public static final int AVCC = of("avcC");
  public static final int MP4A = of("mp4a");
  public static final int ESDS = of("esds");
  public static final int VIDE = of("vide");
  public static final int SOUN = of("soun");

  private FourCc() {}

  /** The code of a 4-character ASCII string. */
  public static int of(String code) {
    if (code.length() != 4) {
      throw new IllegalArgumentException("four characters expected: " + code);
    }
    return (code.charAt(0) & 0xFF) << 24
        | (code.charAt(1) & 0xFF) << 16
        | (code.charAt(2) & 0xFF) << 8
        | (code.charAt(3) & 0xFF);
  }

  /** The code as text; non-printable bytes become '?' so error messages stay readable. */
  public static String toString(int code) {
    char[] c = new char[4];
    for (int i = 0; i < 4; i++) {
      int b = (code >>> (24 - 8 * i)) & 0xFF;
      c[i] = isPrintableByte(b) ? (char) b : '?';
    }
    return new String(c);
  }

  /**
   * 14496-12 4.2: a box type is a four-character code; every top-level type FFmpeg or CMAF writes
   * is printable ASCII, so anything else means we lost framing.
   */
  public static boolean isPrintable(int code) {
    for (int i = 0; i < 4; i++) {
      int b = (code >>> (24 - 8 * i)) & 0xFF;
      if (!isPrintableByte(b)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPrintableByte(int b) {
    return b >= 0x20 && b <= 0x7E;
  }
}
