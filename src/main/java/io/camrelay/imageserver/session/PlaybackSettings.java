package io.camrelay.imageserver.session;

/**
 * What one playback reads (docs/protocols.md §8).
 *
 * @param fromMs             the first moment wanted, ms UTC on the recorder's clock; the export starts at the key frame
 *                           at or before it
 * @param toMs               the end, exclusive: the first picture at or after it ends the playback
 * @param maxRequestsInFlight how many {@code goto}/{@code next} requests may await their replies at once (T1 keeps 3,
 *                           T7 5); each is one GOP, so this bounds what the recorder may send unasked for
 */
public record PlaybackSettings(long fromMs, long toMs, int maxRequestsInFlight) {

    /** Requests in flight by default: T1's 3 (docs/protocols.md §8). */
    public static final int DEFAULT_MAX_REQUESTS_IN_FLIGHT = 3;
    /** The most requests in flight accepted (the simulator allows 16 waiting; a recorder's own limit is unknown). */
    public static final int MAX_REQUESTS_IN_FLIGHT = 8;

    public PlaybackSettings {
        if (toMs <= fromMs) {
            throw new IllegalArgumentException("playback to " + java.time.Instant.ofEpochMilli(toMs)
                    + " is not after from " + java.time.Instant.ofEpochMilli(fromMs) + " (expected to > from)");
        }
        if (maxRequestsInFlight < 1 || maxRequestsInFlight > MAX_REQUESTS_IN_FLIGHT) {
            throw new IllegalArgumentException("maxRequestsInFlight " + maxRequestsInFlight + " (expected 1 ~ "
                    + MAX_REQUESTS_IN_FLIGHT + ")");
        }
    }
}
