package io.camrelay.imageserver.session;

/** What a {@link PlaybackSession} reports to its owner; called on the session's event loop, except where said. */
public interface PlaybackEvents {

    /** One recorded GenericByteData picture (header included), in decode order, received at {@code receiveNanos}. */
    void picture(byte[] packet, long receiveNanos);

    /**
     * Whether the owner takes more pictures now; asked before each further request. Once it said no, the owner calls
     * {@link PlaybackSession#resume()} when it takes more again. Must not block; any thread may call it.
     */
    boolean wantsMore();

    /** The playback ended: nothing follows. */
    void finished(PlaybackSession.End end);

    /**
     * The playback failed and is closed; nothing follows. {@code message} names the camera, the cause and the fix.
     *
     * @param problem a problem reconnecting would not solve (privacy mask, unknown camera, JPEG), or null for a loss
     *                (recorder unreachable, connection closed, no reply, token refused)
     * @param cause   the exception that reported it, or null
     */
    void failed(SessionProblem problem, String message, RuntimeException cause);
}
