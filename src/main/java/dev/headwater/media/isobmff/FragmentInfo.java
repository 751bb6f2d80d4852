package dev.headwater.media.isobmff;

/** The timing facts of one moof, before its mdat arrives. */
record FragmentInfo(
    int trackId, long baseMediaDecodeTime, long duration, int sampleCount, boolean independent) {}
