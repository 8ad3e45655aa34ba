package io.camrelay.vms;

/**
 * An XProtect REST call answered with an error ({@code {"error":…}} or {@code {"httpCode":"400","details":[…]}},
 * docs/protocols.md §4). The message holds the method, path, HTTP status and the VMS's own error text.
 */
public class XProtectApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public XProtectApiException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the VMS answered with. */
    public int status() {
        return status;
    }
}
