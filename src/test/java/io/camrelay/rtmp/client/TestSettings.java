package io.camrelay.rtmp.client;

/** Publisher settings for unit tests: short, round numbers, so delays can be asserted exactly. */
final class TestSettings {

    static final String KEY = "SECRET-KEY";
    static final RtmpUrl URL = RtmpUrl.parse("rtmp://127.0.0.1:19350/live/" + KEY);
    /** How {@link #URL} appears in messages. */
    static final String MASKED = "rtmp://127.0.0.1:19350/live/****";
    static final long CONNECT_TIMEOUT = 1000;
    static final long READ_TIMEOUT = 2000;
    static final long DROP_DISPOSABLE_AFTER = 700;
    static final long DROP_TO_KEY_FRAME_AFTER = 1000;
    static final long BACKOFF_INITIAL = 1000;
    static final long BACKOFF_MAX = 8000;
    static final long BACKOFF_RESET_AFTER = 30_000;
    static final long REJECTION_BACKOFF = 5000;
    static final long STATUS_INTERVAL = 1000;

    private TestSettings() {
    }

    static PublisherSettings settings(long timestampOffset, RtmpPublisherListener listener) {
        return new PublisherSettings(URL, false, CONNECT_TIMEOUT, READ_TIMEOUT, 4096, DROP_DISPOSABLE_AFTER,
                DROP_TO_KEY_FRAME_AFTER, 10_000_000, 32 * 1024, 64 * 1024, BACKOFF_INITIAL, BACKOFF_MAX,
                BACKOFF_RESET_AFTER, REJECTION_BACKOFF, 1024 * 1024, timestampOffset, STATUS_INTERVAL, 0,
                "lobby", listener);
    }
}
