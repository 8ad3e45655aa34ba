package io.camrelay.imageserver.session;

/** What an {@link ImageServerSession} reports to its owner; called on the session's event loop: never block. */
public interface SessionEvents {

    /** One GenericByteData packet (header included), received at {@code receiveNanos} (System.nanoTime()). */
    void picture(byte[] packet, long receiveNanos);

    /** The state, or the reason for it, changed; {@code reason} says why (null when streaming or stopped). */
    void stateChanged(ImageServerSessionState state, String reason);

    /**
     * A problem reconnecting will not solve; {@code message} names the camera, the cause and the fix.
     *
     * @param cause the exception that reported it (e.g. {@link io.camrelay.vms.UnknownCameraException}), or null
     */
    void problem(SessionProblem problem, String message, RuntimeException cause);
}
