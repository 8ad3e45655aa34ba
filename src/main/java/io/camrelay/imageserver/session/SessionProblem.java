package io.camrelay.imageserver.session;

/** Problems a session cannot heal by reconnecting; the owner turns them into exceptions for the route. */
public enum SessionProblem {
    /** The recorder answered {@code connect} with "Unknown device" (docs/protocols.md §1.2). */
    UNKNOWN_DEVICE,
    /** The recorder sent JPEG or a payload that is not a GenericByteData video stream packet (docs/protocols.md §1.5, §2.1). */
    UNSUPPORTED_PAYLOAD,
    /**
     * The recorder's {@code PrivacyMask} header says the camera has a privacy mask, which the passed-through video
     * lacks (docs/protocols.md §1.5): never published, whatever the reconnect; the message is {@link PrivacyMask}'s.
     */
    PRIVACY_MASK
}
