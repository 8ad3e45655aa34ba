package io.camrelay.imageserver.session;

import io.camrelay.imageserver.codec.ImageResponse;
import io.camrelay.imageserver.codec.XmlMessage;
import io.camrelay.vms.RecorderAddress;

/**
 * What a {@link RecorderConnection} reports to the session that owns it (live now, playback next). Called on the event
 * loop, in wire order, and never after the connection was closed, by its owner or by itself.
 */
interface ConnectionEvents {

    /** The recorder is resolved and its socket is being opened: where a session starts its reply deadline. */
    void connecting(RecorderAddress recorder);

    /** The recorder accepted {@code connect} (docs/protocols.md §1.2): requests may be sent now. */
    void connected();

    /**
     * An {@code ImageResponse} (§1.5): a live picture or the reply to {@code goto} / {@code next} (§8.1). The
     * per-picture path: called without the camera in the MDC, so whatever logs must set it ({@link CameraMdc}).
     */
    void image(ImageResponse image);

    /**
     * Any other XML document: a {@code livepackage}, or a {@code methodresponse} that is neither the reply to
     * {@code connect} / {@code connectupdate} (handled by the connection) nor a refusal (reported as {@link #lost}).
     */
    void document(XmlMessage document);

    /** The connection was lost and is closed; {@code reason} says why (what, value, fix; no secret). */
    void lost(String reason);

    /** Reconnecting will not help until the operator acts; the connection is closed. */
    void problem(SessionProblem problem, String message, RuntimeException cause);
}
