package dev.headwater.media.isobmff;

import dev.headwater.media.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Push reader for one rendition's live fragmented MP4: ftyp, moov (one track), then for each
 * fragment optional styp/prft/emsg boxes, a moof and its mdat. Chunks may be split anywhere.
 *
 * <p>States, driven by each complete top-level box:
 *
 * <ul>
 *   <li>{@code AWAIT_FTYP}: start of stream; ftyp moves on to {@code AWAIT_MOOV}.
 *   <li>{@code AWAIT_MOOV}: ftyp seen; moov emits the {@link InitSegment} and moves on to {@code
 *       AWAIT_MOOF}.
 *   <li>{@code AWAIT_MOOF}: between fragments. styp, prft and emsg are held and prefixed to the
 *       next fragment; moof is parsed and moves on to {@code AWAIT_MDAT}.
 *   <li>{@code AWAIT_MDAT}: the moof's mdat must follow at once (trun data offsets are relative to
 *       the moof, so nothing may sit between them); it emits the {@link Fragment} and returns to
 *       {@code AWAIT_MOOF}.
 *   <li>{@code FAILED}: terminal; every push returns the first error again.
 * </ul>
 *
 * In the three non-terminal waiting states other boxes (sidx, free, skip, mfra, unknown types) are
 * dropped: they carry nothing a live origin republishes. A box that belongs to another state (moof
 * before moov, mdat without moof, a second moov) fails the stream.
 *
 * <p>Memory is bounded by {@code maxBoxSize}: one box in assembly, plus the held ftyp or leading
 * boxes and moof, each limited to that size in total.
 *
 * <p>Boxes are assembled once, each in an array of its own; init segments and fragments are
 * concatenations of those arrays ({@link Bytes}), never copies. The caller's array is only read
 * during {@link #push}, never kept.
 */
public final class Fmp4StreamReader {

  /** Where the reader is in the stream structure. */
  public enum State {
    AWAIT_FTYP,
    AWAIT_MOOV,
    AWAIT_MOOF,
    AWAIT_MDAT,
    FAILED
  }

  private final int maxBoxSize;
  private final BoxSplitter splitter;
  private final List<RawBox> leading = new ArrayList<>();
  private int leadingBytes;
  private State state = State.AWAIT_FTYP;
  private RawBox ftyp;
  private TrackInfo track;
  private RawBox moof;
  private FragmentInfo moofInfo;
  private Fmp4Error error;

  /**
   * @param maxBoxSize largest top-level box accepted, header included (at least 16); it bounds
   *     every buffer, so set it above the largest mdat a rendition can produce
   */
  public Fmp4StreamReader(int maxBoxSize) {
    this.maxBoxSize = maxBoxSize;
    this.splitter = new BoxSplitter(maxBoxSize);
  }

  /**
   * Feeds the next bytes of the stream; they are copied into box arrays, and {@code bytes} is not
   * referenced after the call. Never throws on bad stream content; invalid offset/length arguments
   * are a caller bug and throw {@link IndexOutOfBoundsException}.
   */
  public Fmp4ReadResult push(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (state == State.FAILED) {
      return Fmp4ReadResult.failed(List.of(), error);
    }
    List<RawBox> boxes = splitter.push(bytes, offset, length);
    List<Fmp4Item> items = new ArrayList<>();
    for (RawBox box : boxes) {
      Optional<Fmp4Error> e = accept(box, items);
      if (e.isPresent()) {
        return fail(items, e.get());
      }
    }
    Optional<Fmp4Error> framing = splitter.error();
    if (framing.isPresent()) {
      return fail(items, framing.get());
    }
    return Fmp4ReadResult.ok(items);
  }

  /** Convenience for {@code push(bytes, 0, bytes.length)}. */
  public Fmp4ReadResult push(byte[] bytes) {
    return push(bytes, 0, bytes.length);
  }

  public State state() {
    return state;
  }

  /** The track, once the moov has been read. */
  public Optional<TrackInfo> track() {
    return Optional.ofNullable(track);
  }

  /** The first error, if the reader has failed. */
  public Optional<Fmp4Error> error() {
    return Optional.ofNullable(error);
  }

  private Fmp4ReadResult fail(List<Fmp4Item> items, Fmp4Error e) {
    error = e;
    state = State.FAILED;
    leading.clear();
    ftyp = null;
    moof = null;
    return Fmp4ReadResult.failed(items, e);
  }

  private Optional<Fmp4Error> accept(RawBox box, List<Fmp4Item> items) {
    return switch (state) {
      case AWAIT_FTYP -> awaitFtyp(box);
      case AWAIT_MOOV -> awaitMoov(box, items);
      case AWAIT_MOOF -> awaitMoof(box);
      case AWAIT_MDAT -> awaitMdat(box, items);
      case FAILED -> Optional.of(error);
    };
  }

  private Optional<Fmp4Error> awaitFtyp(RawBox box) {
    // 14496-12 4.3 ftyp: "shall be placed as early as possible in the file".
    if (box.type() == FourCc.FTYP) {
      ftyp = box;
      state = State.AWAIT_MOOV;
      return Optional.empty();
    }
    return ignorable(box.type()) ? Optional.empty() : unexpected(box, "ftyp");
  }

  private Optional<Fmp4Error> awaitMoov(RawBox box, List<Fmp4Item> items) {
    if (box.type() != FourCc.MOOV) {
      return ignorable(box.type()) ? Optional.empty() : unexpected(box, "moov");
    }
    ParseResult<TrackInfo> parsed = MoovParser.parse(box.array(), box.header().headerSize());
    if (parsed.failed()) {
      return Optional.of(
          new Fmp4Error(Fmp4Error.Kind.MALFORMED_INIT, box.streamOffset(), parsed.problem()));
    }
    track = parsed.value();
    items.add(new InitSegment(Bytes.concat(ftyp.bytes(), box.bytes()), track));
    ftyp = null;
    state = State.AWAIT_MOOF;
    return Optional.empty();
  }

  private Optional<Fmp4Error> awaitMoof(RawBox box) {
    int type = box.type();
    // 23000-19 7.3.2: a CMAF chunk may be preceded by styp, prft and emsg boxes; they belong
    // to the fragment that follows, so they travel with it.
    if (type == FourCc.STYP || type == FourCc.PRFT || type == FourCc.EMSG) {
      if (leadingBytes + (long) box.length() > maxBoxSize) {
        return Optional.of(
            new Fmp4Error(
                Fmp4Error.Kind.BOX_TOO_LARGE,
                box.streamOffset(),
                "boxes before moof exceed the bound " + maxBoxSize));
      }
      leading.add(box);
      leadingBytes += box.length();
      return Optional.empty();
    }
    if (type == FourCc.MOOF) {
      ParseResult<FragmentInfo> parsed =
          MoofParser.parse(box.array(), box.header().headerSize(), track);
      if (parsed.failed()) {
        return Optional.of(
            new Fmp4Error(Fmp4Error.Kind.MALFORMED_FRAGMENT, box.streamOffset(), parsed.problem()));
      }
      moof = box;
      moofInfo = parsed.value();
      state = State.AWAIT_MDAT;
      return Optional.empty();
    }
    return ignorable(type) ? Optional.empty() : unexpected(box, "moof");
  }

  private Optional<Fmp4Error> awaitMdat(RawBox box, List<Fmp4Item> items) {
    if (box.type() != FourCc.MDAT) {
      return unexpected(box, "mdat right after moof");
    }
    long total = (long) leadingBytes + moof.length() + box.length();
    if (total > Integer.MAX_VALUE) {
      return Optional.of(
          new Fmp4Error(
              Fmp4Error.Kind.BOX_TOO_LARGE,
              box.streamOffset(),
              "fragment of " + total + " bytes is longer than a Bytes can address"));
    }
    // The fragment shares the boxes' arrays: leading boxes, moof, mdat, in stream order.
    List<Bytes> parts = new ArrayList<>(leading.size() + 2);
    for (RawBox b : leading) {
      parts.add(b.bytes());
    }
    parts.add(moof.bytes());
    parts.add(box.bytes());
    FragmentInfo i = moofInfo;
    items.add(
        new Fragment(
            Bytes.concat(parts),
            i.trackId(),
            i.baseMediaDecodeTime(),
            i.duration(),
            i.sampleCount(),
            i.independent()));
    leading.clear();
    leadingBytes = 0;
    moof = null;
    moofInfo = null;
    state = State.AWAIT_MOOF;
    return Optional.empty();
  }

  /** Boxes with a role in this reader are never silently dropped. */
  private static boolean ignorable(int type) {
    return type != FourCc.FTYP
        && type != FourCc.MOOV
        && type != FourCc.MOOF
        && type != FourCc.MDAT
        && type != FourCc.STYP
        && type != FourCc.PRFT
        && type != FourCc.EMSG;
  }

  private static Optional<Fmp4Error> unexpected(RawBox box, String expected) {
    return Optional.of(
        new Fmp4Error(
            Fmp4Error.Kind.UNEXPECTED_BOX,
            box.streamOffset(),
            "unexpected " + box.header().typeName() + ", expected " + expected));
  }
}
