package io.camrelay.rtmp.client;

/** A destination failed: connection, TLS, a refused command, or a stalled server. The message never holds the key. */
public class RtmpPublishException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean rejected;

    public RtmpPublishException(String message, boolean rejected) {
        super(message);
        this.rejected = rejected;
    }

    public RtmpPublishException(String message, boolean rejected, Throwable cause) {
        super(message, cause);
        this.rejected = rejected;
    }

    /** True when the server refused us (back off longer): a rejection, not a network failure. */
    public boolean rejected() {
        return rejected;
    }
}
