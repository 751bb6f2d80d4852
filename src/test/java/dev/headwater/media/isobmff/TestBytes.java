package dev.headwater.media.isobmff;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Helpers for byte fixtures. */
public final class TestBytes {

  private TestBytes() {}

  /** Bytes from ints (and chars, for fourccs): {@code of(0x00, 0x10, 'm', 'o', 'o', 'f')}. */
  public static byte[] of(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > 0xFF) {
        throw new IllegalArgumentException("not a byte at " + i + ": " + values[i]);
      }
      out[i] = (byte) values[i];
    }
    return out;
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  public static byte[] resource(String name) {
    try (InputStream in = TestBytes.class.getResourceAsStream("/fixtures/cmaf/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name + "; run make-fixtures.sh");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pushes {@code data} in chunks of the given sizes (cycled), collecting all items. */
  public static Collected readInChunks(byte[] data, List<Integer> chunkSizes, int maxBoxSize) {
    Fmp4StreamReader reader = new Fmp4StreamReader(maxBoxSize);
    List<Fmp4Item> items = new ArrayList<>();
    Fmp4Error error = null;
    int p = 0;
    int i = 0;
    while (p < data.length) {
      int n =
          chunkSizes.isEmpty() ? data.length : Math.max(1, chunkSizes.get(i++ % chunkSizes.size()));
      n = Math.min(n, data.length - p);
      Fmp4ReadResult r = reader.push(data, p, n);
      items.addAll(r.items());
      if (r.error().isPresent() && error == null) {
        error = r.error().get();
      }
      p += n;
    }
    return new Collected(items, error);
  }

  /** Everything a reader produced over a whole input. */
  public record Collected(List<Fmp4Item> items, Fmp4Error error) {

    public List<Fragment> fragments() {
      List<Fragment> out = new ArrayList<>();
      for (Fmp4Item item : items) {
        if (item instanceof Fragment f) {
          out.add(f);
        }
      }
      return out;
    }

    public InitSegment init() {
      return (InitSegment) items.get(0);
    }
  }
}
