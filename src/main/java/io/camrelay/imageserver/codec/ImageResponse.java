package io.camrelay.imageserver.codec;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code ImageResponse} (docs/protocols.md §1.5): its headers and body, copied out of Netty.
 *
 * @param headers header values by lower-case name (names match without regard to case)
 * @param body    the {@code Content-length} body bytes: a GenericByteData packet or a JPEG picture
 */
public record ImageResponse(Map<String, String> headers, byte[] body) implements ImageServerMessage {

    /** First line of the header block. */
    public static final String START_LINE = "ImageResponse";
    /** The header saying whether the camera has a privacy mask (§1.5), by its lower-case name. */
    static final String PRIVACY_MASK = "privacymask";
    /** The one {@code PrivacyMask} value that means the picture has no mask (§1.5). */
    public static final String NO_PRIVACY_MASK = "none";

    public ImageResponse {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** A header by name, case-insensitive, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** Whether the body is a JPEG picture: decided by the first bytes FF D8, not by Content-type (§1.5). */
    public boolean jpeg() {
        return body.length >= 2 && (body[0] & 0xFF) == 0xFF && (body[1] & 0xFF) == 0xD8;
    }

    /**
     * Whether the recorder says the camera has a privacy mask, which the raw video does not carry: it applies masks
     * only when it renders JPEG (§1.5, §1.7). Any {@code PrivacyMask} value but {@code none} (case-insensitive) is a
     * mask; a response without the header has none (playback replies may leave it out). A map look-up and a
     * comparison: called for every picture.
     */
    public boolean privacyMasked() {
        String mask = headers.get(PRIVACY_MASK);
        return mask != null && !NO_PRIVACY_MASK.equalsIgnoreCase(mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageResponse other && headers.equals(other.headers) && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return 31 * headers.hashCode() + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "ImageResponse[headers=" + headers + ", body=" + body.length + " bytes]";
    }
}
