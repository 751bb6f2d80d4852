package dev.headwater.media.isobmff;

/** What we take from the first stsd sample entry. Zero means "not declared". */
record SampleEntry(String codec, int width, int height, int sampleRate, int channelCount) {

  static final SampleEntry NONE = new SampleEntry("", 0, 0, 0, 0);
}
