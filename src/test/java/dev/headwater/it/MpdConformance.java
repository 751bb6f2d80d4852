package dev.headwater.it;

/** Placeholder, replaced below. */
final class MpdConformance {
  private MpdConformance() {}

  static void check(String name, String mpd) {}
}
