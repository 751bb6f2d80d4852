package dev.headwater.demo;

import java.util.Locale;

/**
 * A wall-clock time burned into the picture as a row of black/white cells, readable back from a
 * decoded frame (the player page and the browser test do so) to measure glass-to-glass latency.
 *
 * <p>Layout: a black strip of {@link #CELLS} square cells along the bottom of the picture; cells
 * 0..23 hold bits 0..23 of the capture time in milliseconds (white = 1), cell 24 is always white
 * and cell 25 always black (markers that tell the clock is there). The FFmpeg bundled from Maven
 * has no {@code drawtext}, so the cells are drawn with {@code drawbox}, whose {@code enable}
 * expression is evaluated per frame with {@code t} set to the wall-clock time (pts re-based on
 * {@code RTCTIME}, then put back on a 30 fps grid).
 */
public final class BurnedInClock {
  public static final int BITS = 24;
  public static final int CELLS = BITS + 2;

  private BurnedInClock() {}

  /** Cell size in pixels for a picture width. */
  public static int cell(int width) {
    return Math.max(4, width / (CELLS + 6));
  }

  public static String filter(int width, int height) {
    int c = cell(width);
    int y = height - c - c / 2;
    StringBuilder f = new StringBuilder();
    f.append("settb=1/1000,setpts='RTCTIME/1000'");
    f.append(
        String.format(
            Locale.ROOT,
            ",drawbox=x=0:y=%d:w=%d:h=%d:color=black:t=fill",
            y - c / 4,
            c * CELLS + c / 2,
            c + c / 2));
    for (int i = 0; i < BITS; i++) {
      f.append(
          String.format(
              Locale.ROOT,
              ",drawbox=x=%d:y=%d:w=%d:h=%d:color=white:t=fill:enable='eq(mod(floor(t*1000/%d),2),1)'",
              c / 4 + i * c,
              y,
              c,
              c,
              1L << i));
    }
    f.append(
        String.format(
            Locale.ROOT,
            ",drawbox=x=%d:y=%d:w=%d:h=%d:color=white:t=fill",
            c / 4 + BITS * c,
            y,
            c,
            c));
    f.append(",setpts=N/(30*TB),settb=1/30");
    return f.toString();
  }
}
