package io.camrelay.rtmp.client;

import io.camrelay.media.FlvTag;
import io.camrelay.media.FlvTagType;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The per-destination send queue, bounded in media time (docs/protocols.md A10, after OBS): past
 * {@code dropDisposableAfter} of queued media disposable frames are dropped; past {@code dropToKeyFrameAfter} all
 * queued video is dropped and video stays off until the next key frame (audio, a few bytes, is kept); a key frame
 * arriving while still that far behind replaces everything queued, so the stream resumes live;
 * {@code maxQueuedBytes} caps memory whatever the timestamps say. While no session publishes, a key frame empties
 * the queue so only the newest picture group waits. Sequence headers and metadata are never dropped. Not
 * thread-safe: used on the publisher's event loop only.
 */
final class MediaQueue {

    private final long dropDisposableAfter;
    private final long dropToKeyFrameAfter;
    private final long maxBytes;
    private final ArrayDeque<FlvTag> tags = new ArrayDeque<>();
    private long bytes;
    private long dropped;
    private boolean skipVideoUntilKeyFrame;

    MediaQueue(long dropDisposableAfter, long dropToKeyFrameAfter, long maxBytes) {
        this.dropDisposableAfter = dropDisposableAfter;
        this.dropToKeyFrameAfter = dropToKeyFrameAfter;
        this.maxBytes = maxBytes;
    }

    /** Queues {@code tag} or drops it (and older frames) by the policy above. */
    void offer(FlvTag tag, boolean publishing) {
        if (!isMedia(tag)) {
            add(tag);
            return;
        }
        if (tag.type() == FlvTagType.AUDIO) {
            if (bytes + tag.size() > maxBytes) {
                dropped++;
            } else {
                add(tag);
            }
            return;
        }
        if (tag.keyFrame() && !publishing) {
            clearMediaBefore(tag);
        }
        boolean overTime = spanWith(tag) > dropToKeyFrameAfter || bytes + tag.size() > maxBytes;
        if (tag.keyFrame()) {
            if (overTime) {
                clearMediaBefore(tag); // too far behind: resume live at this key frame, older media is stale
            }
            skipVideoUntilKeyFrame = false;
            add(tag);
            return;
        }
        if (skipVideoUntilKeyFrame) {
            dropped++;
            return;
        }
        if (overTime) {
            dropAllVideo();
            skipVideoUntilKeyFrame = true;
            dropped++;
            return;
        }
        if (spanWith(tag) > dropDisposableAfter) {
            dropDisposableVideo();
            if (tag.disposable()) {
                dropped++;
                return;
            }
        }
        add(tag);
    }

    /**
     * Prepares the queue for a new publish, which must start at a video key frame (docs/protocols.md A0 step 5): drops
     * everything ahead of the first key frame except audio stamped at or after it (interleaving can put it first).
     * Sequence headers and metadata ahead of it go too: the publisher resends its cached copies.
     *
     * @return the key frame's timestamp, the new timeline's zero, or -1 when no key frame is queued yet
     */
    long startAtKeyFrame() {
        FlvTag key = null;
        for (FlvTag t : tags) {
            if (t.type() == FlvTagType.VIDEO && t.keyFrame() && !t.sequenceHeader()) {
                key = t;
                break;
            }
        }
        if (key == null) {
            return -1;
        }
        long keyTs = key.timestamp();
        for (Iterator<FlvTag> it = tags.iterator(); it.hasNext();) {
            FlvTag t = it.next();
            if (t == key) {
                break;
            }
            if (!(t.type() == FlvTagType.AUDIO && isMedia(t) && t.timestamp() >= keyTs)) {
                it.remove();
                bytes -= t.size();
                if (isMedia(t)) {
                    dropped++;
                }
            }
        }
        return keyTs;
    }

    FlvTag peek() {
        return tags.peekFirst();
    }

    FlvTag poll() {
        return tags.isEmpty() ? null : remove();
    }

    boolean isEmpty() {
        return tags.isEmpty();
    }

    long bytes() {
        return bytes;
    }

    /** Frames dropped so far. */
    long dropped() {
        return dropped;
    }

    /** Media time between the oldest and the newest queued frame. */
    long spanMillis() {
        FlvTag first = firstMedia();
        FlvTag last = tags.peekLast();
        return first == null || last == null ? 0 : Math.max(0, last.timestamp() - first.timestamp());
    }

    private long spanWith(FlvTag tag) {
        FlvTag first = firstMedia();
        return first == null ? 0 : Math.max(0, tag.timestamp() - first.timestamp());
    }

    private FlvTag firstMedia() {
        for (FlvTag t : tags) {
            if (isMedia(t)) {
                return t;
            }
        }
        return null;
    }

    private void add(FlvTag tag) {
        tags.addLast(tag);
        bytes += tag.size();
    }

    private FlvTag remove() {
        FlvTag t = tags.removeFirst();
        bytes -= t.size();
        return t;
    }

    /**
     * Drops the media queued before {@code key}, except audio stamped at or after it: the silent track is
     * interleaved by timestamp, so the audio frame of the key frame's instant is queued just before it.
     */
    private void clearMediaBefore(FlvTag key) {
        long keyTs = key.timestamp();
        removeIf(t -> isMedia(t) && !(t.type() == FlvTagType.AUDIO && t.timestamp() >= keyTs));
    }

    private void dropAllVideo() {
        removeIf(t -> isMedia(t) && t.type() == FlvTagType.VIDEO);
    }

    private void dropDisposableVideo() {
        removeIf(t -> isMedia(t) && t.type() == FlvTagType.VIDEO && t.disposable());
    }

    private void removeIf(java.util.function.Predicate<FlvTag> which) {
        for (Iterator<FlvTag> it = tags.iterator(); it.hasNext();) {
            FlvTag t = it.next();
            if (which.test(t)) {
                it.remove();
                bytes -= t.size();
                dropped++;
            }
        }
    }

    private static boolean isMedia(FlvTag tag) {
        return tag.type() != FlvTagType.SCRIPT && !tag.sequenceHeader();
    }
}
