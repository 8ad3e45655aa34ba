package io.camrelay.vms;

/** Where the REST clients get their Bearer token; implemented by {@link VmsSession}. */
interface AccessTokens {

    /** A valid OAuth access token (logs in when needed). */
    String accessToken();

    /** The VMS answered 401 to {@code rejected}: get a fresh one on the next {@link #accessToken()}. */
    void accessTokenRejected(String rejected);
}
