package dev.headwater.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Objects as files under one directory: the key is the relative path. A put writes a hidden
 * temporary file beside its target and renames it into place, so a key is either absent or complete
 * even after the process crashes or the disk fills.
 */
public final class LocalDiskStore implements ObjectStore {
  private static final String TEMP_PREFIX = ".tmp-";

  private final Path root;

  public LocalDiskStore(Path root) throws IOException {
    this.root = Files.createDirectories(root).toAbsolutePath().normalize();
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    Path target = resolve(key);
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling(TEMP_PREFIX + target.getFileName() + "-" + System.nanoTime());
    try {
      try (var channel =
          Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        var buffer = java.nio.ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public byte[] get(String key) throws IOException {
    try {
      return Files.readAllBytes(resolve(key));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public List<StoredObject> list(String prefix) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<StoredObject> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith(TEMP_PREFIX))
          .forEach(
              p -> {
                String key = keyOf(p);
                if (key.startsWith(prefix)) {
                  try {
                    out.add(new StoredObject(key, Files.size(p)));
                  } catch (NoSuchFileException gone) {
                    // deleted while listing: not there any more
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    out.sort(Comparator.comparing(StoredObject::key));
    return out;
  }

  @Override
  public void delete(String key) throws IOException {
    Path file = resolve(key);
    Files.deleteIfExists(file);
    // Leave no empty directories behind a deleted recording.
    for (Path dir = file.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          break;
        }
      } catch (NoSuchFileException absent) {
        // Never created (the key was absent) or removed meanwhile: look at the parent.
        continue;
      }
      try {
        Files.delete(dir);
      } catch (IOException raced) {
        break;
      }
    }
  }

  @Override
  public String describe() {
    return "directory " + root;
  }

  private Path resolve(String key) throws IOException {
    if (key.isEmpty() || key.startsWith("/") || key.contains("\\")) {
      throw new IOException("not an object key: " + key);
    }
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new IOException("object key leaves the store: " + key);
    }
    return p;
  }

  private String keyOf(Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }
}
