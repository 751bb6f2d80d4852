package dev.headwater.it;

import dev.headwater.media.rtmp.RtmpChunkEncoder;
import dev.headwater.media.rtmp.RtmpCommand;
import dev.headwater.media.rtmp.RtmpMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;

/**
 * A hand-driven RTMP client for attack tests: it speaks exactly as much of the protocol as a test
 * asks for, from a chosen loopback address, with blocking sockets (test threads, never an event
 * loop).
 */
final class RawRtmp implements AutoCloseable {
  final Socket socket;
  private final RtmpChunkEncoder encoder = new RtmpChunkEncoder();

  private RawRtmp(Socket socket) {
    this.socket = socket;
  }

  /** Connects from {@code localAddress} (any 127.x address works on Linux). */
  static RawRtmp open(String localAddress, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(localAddress, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setTcpNoDelay(true);
    return new RawRtmp(s);
  }

  /** RTMP 5.2: C0+C1, S0+S1+S2 read, C2 (the echo of S1). */
  RawRtmp handshake() throws IOException {
    byte[] c0c1 = new byte[1537];
    c0c1[0] = 3;
    send(c0c1);
    byte[] s = readFully(1 + 1536 * 2);
    byte[] c2 = new byte[1536];
    System.arraycopy(s, 1, c2, 0, 1536);
    send(c2);
    return this;
  }

  RawRtmp connect(String app) throws IOException {
    return command(
        3,
        0,
        new RtmpCommand(
            "connect", 1, Map.of("app", app, "tcUrl", "rtmp://127.0.0.1/" + app), List.of()));
  }

  /** createStream, then publish of {@code nameAndQuery} on stream 1. */
  RawRtmp publish(String nameAndQuery) throws IOException {
    command(3, 0, new RtmpCommand("createStream", 2, null, List.of()));
    return command(8, 1, new RtmpCommand("publish", 3, null, List.of(nameAndQuery, "live")));
  }

  RawRtmp command(int chunkStream, int messageStream, RtmpCommand c) throws IOException {
    send(encoder.encode(c.toMessage(chunkStream, messageStream)));
    return this;
  }

  /** A type 0 header announcing a video message of {@code length} bytes, without its payload. */
  RawRtmp announce(int chunkStream, int length) throws IOException {
    send(
        new byte[] {
          (byte) chunkStream,
          0,
          0,
          0,
          (byte) (length >>> 16),
          (byte) (length >>> 8),
          (byte) length,
          RtmpMessage.VIDEO,
          1,
          0,
          0,
          0
        });
    return this;
  }

  void send(byte[] b) throws IOException {
    socket.getOutputStream().write(b);
    socket.getOutputStream().flush();
  }

  byte[] readFully(int n) throws IOException {
    byte[] b = socket.getInputStream().readNBytes(n);
    if (b.length < n) {
      throw new IOException("closed after " + b.length + " of " + n + " bytes");
    }
    return b;
  }

  /**
   * Reads until the server closes the connection or {@code timeoutMillis} pass; returns what was
   * read, or null if the connection was still open at the timeout.
   */
  byte[] readUntilClosed(long timeoutMillis) throws IOException {
    long end = System.nanoTime() + timeoutMillis * 1_000_000;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    while (true) {
      long left = (end - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return null;
      }
      socket.setSoTimeout((int) Math.max(1, left));
      try {
        int n = in.read(buf);
        if (n < 0) {
          return out.toByteArray();
        }
        out.write(buf, 0, n);
      } catch (SocketTimeoutException e) {
        return null;
      } catch (IOException e) {
        // Reset by the server: closed as well.
        return out.toByteArray();
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
