package io.gatehouse.edge.buffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the index from the segment files when a buffer opens.
 *
 * <p>Damage at the end of the newest segment is what power loss mid-write leaves, so it is cut off
 * and the buffer carries on. Damage inside an older segment is not that, and nothing after it in
 * that segment can be trusted, so the rest of that segment is skipped (counted, and left on disk
 * as found until none of the segment's intact records wait any more) while later segments are used
 * as usual. Neither stops the buffer from opening.
 */
final class BufferRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(BufferRecovery.class);

  /**
   * @param segments segments that still hold waiting records, oldest first
   * @param lastSequence the highest sequence ever handed out, as far as the disk knows
   * @param corruptRecords records lost to damage inside older segments
   */
  record Recovered(List<SegmentIndex> segments, long lastSequence, long corruptRecords) {}

  private final SegmentScanner scanner;

  BufferRecovery(SegmentScanner scanner) {
    this.scanner = scanner;
  }

  /** @param removedThrough the persisted cursor: records up to it are not waiting any more */
  Recovered recover(Path directory, long removedThrough) throws IOException {
    List<Map.Entry<Long, Path>> files = segmentFiles(directory);
    List<SegmentIndex> kept = new ArrayList<>();
    long highest = removedThrough;
    long previousLast = 0;
    long corrupt = 0;
    try {
      for (int i = 0; i < files.size(); i++) {
        long first = files.get(i).getKey();
        Path path = files.get(i).getValue();
        if (first <= previousLast) {
          LOG.error("forward buffer ignored a segment overlapping the one before it segment={} previousLast={}",
              path.getFileName(), previousLast);
          continue;
        }
        SegmentFile file = SegmentFile.openExisting(path, first);
        SegmentScanner.ScanResult scan;
        try {
          scan = scanner.scan(file);
        } catch (IOException | RuntimeException e) {
          file.close();
          throw e;
        }
        SegmentIndex index = scan.index();
        if (scan.damaged()) {
          boolean newest = i == files.size() - 1;
          long lost = newest ? 0 : Math.max(0, files.get(i + 1).getKey() - 1 - index.lastSequence());
          handleDamage(file, scan, newest, lost);
          corrupt += lost;
        }
        highest = Math.max(highest, index.lastSequence());
        previousLast = index.lastSequence();
        for (int r = 0; r < index.count() && index.sequence(r) <= removedThrough; r++) {
          index.remove(r);
        }
        if (index.liveCount() == 0) {
          file.closeAndDelete();
        } else {
          kept.add(index);
        }
      }
    } catch (IOException | RuntimeException e) {
      for (SegmentIndex index : kept) {
        closeQuietly(index.file());
      }
      throw e;
    }
    return new Recovered(kept, highest, corrupt);
  }

  private static void handleDamage(SegmentFile file, SegmentScanner.ScanResult scan, boolean newest, long lost)
      throws IOException {
    long damagedBytes = file.size() - scan.validEnd();
    if (newest) {
      // With no intact record the file is deleted by the caller; cutting it first is pointless.
      if (scan.index().count() > 0) {
        file.truncate(scan.validEnd());
      }
      LOG.warn("forward buffer cut a damaged tail segment={} bytesCut={} recordsKept={} reason=\"{}\"",
          file.path().getFileName(), damagedBytes, scan.index().count(), scan.damage());
    } else {
      LOG.warn("forward buffer skipped the damaged rest of a segment segment={} offset={} bytesSkipped={}"
          + " recordsLost={} reason=\"{}\"", file.path().getFileName(), scan.validEnd(), damagedBytes, lost,
          scan.damage());
    }
  }

  private static List<Map.Entry<Long, Path>> segmentFiles(Path directory) throws IOException {
    try (Stream<Path> paths = Files.list(directory)) {
      return paths.flatMap(path -> {
        Optional<Long> first = SegmentFile.firstSequenceOf(path);
        return first.stream().map(sequence -> Map.entry(sequence, path));
      }).sorted(Map.Entry.comparingByKey(Comparator.naturalOrder())).toList();
    }
  }

  private static void closeQuietly(SegmentFile file) {
    try {
      file.close();
    } catch (IOException e) {
      LOG.debug("closing segment after a failed open segment={} error={}", file.path(), e.getMessage());
    }
  }
}
