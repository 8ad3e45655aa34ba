package io.camrelay.imageserver.codec;

/**
 * The ImageServer requests CamRelay sends (docs/protocols.md §1.2–1.4, §1.6): one {@code methodcall}
 * document each, without line breaks, ending in CR LF CR LF. Values are XML-escaped.
 */
public final class ImageServerRequests {

    /** Ends every request and response (§1.1). */
    public static final String TERMINATOR = "\r\n\r\n";
    /** Dummy credentials: the elements must be present when a connection token is used (§1.2). */
    static final String DUMMY_USER = "a";
    /** JPEG quality; ignored for GenericByteData (§1.3) but part of the required form. */
    static final int COMPRESSION_RATE = 90;
    private static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    private ImageServerRequests() {
    }

    /**
     * {@code connect} asking for native GenericByteData ({@code alwaysstdjpeg=no}) with the VMS token.
     *
     * @param streamId the stream reference id, or null for the camera's default live stream
     */
    public static String connect(int requestId, String cameraId, String streamId, String token) {
        StringBuilder param = new StringBuilder("id=").append(cameraId);
        if (streamId != null && !streamId.isBlank()) {
            param.append("&streamid=").append(streamId);
        }
        param.append("&connectiontoken=").append(token);
        return PROLOG + "<methodcall><requestid>" + requestId + "</requestid><methodname>connect</methodname>"
                + "<username>" + DUMMY_USER + "</username><password>" + DUMMY_USER + "</password>"
                + "<cameraid>" + escape(cameraId) + "</cameraid><alwaysstdjpeg>no</alwaysstdjpeg>"
                + "<connectparam>" + escape(param.toString()) + "</connectparam></methodcall>" + TERMINATOR;
    }

    /** {@code live} without the initial JPEG snapshot and with adaptive streaming disabled (§1.3). */
    public static String live(int requestId) {
        return PROLOG + "<methodcall><requestid>" + requestId + "</requestid><methodname>live</methodname>"
                + "<compressionrate>" + COMPRESSION_RATE + "</compressionrate><sendinitialimage>no</sendinitialimage>"
                + "<attributes framerate=\"full\"/><adaptivestreaming><disabled/></adaptivestreaming>"
                + "</methodcall>" + TERMINATOR;
    }

    /** {@code connectupdate} carrying a renewed VMS token on the open socket (§1.4). */
    public static String connectUpdate(int requestId, String cameraId, String token) {
        return PROLOG + "<methodcall><requestid>" + requestId + "</requestid><methodname>connectupdate</methodname>"
                + "<connectparam>" + escape("id=" + cameraId + "&connectiontoken=" + token) + "</connectparam>"
                + "</methodcall>" + TERMINATOR;
    }

    /** {@code stop}: ends live (§1.6). */
    public static String stop(int requestId) {
        return PROLOG + "<methodcall><requestid>" + requestId + "</requestid><methodname>stop</methodname>"
                + "</methodcall>" + TERMINATOR;
    }

    /**
     * {@code goto} to {@code timeMs} (ms UTC, the recorder's clock) in the official sample's form (docs/protocols.md
     * §8: {@code time}, {@code compressionrate}, {@code keyframesonly=no}): the recorder answers with the GOP at or
     * before that time.
     */
    public static String goTo(int requestId, long timeMs) {
        return PROLOG + "<methodcall><requestid>" + requestId + "</requestid><methodname>goto</methodname>"
                + "<time>" + timeMs + "</time><compressionrate>" + COMPRESSION_RATE + "</compressionrate>"
                + "<keyframesonly>no</keyframesonly></methodcall>" + TERMINATOR;
    }

    /** {@code next}, without parameters (docs/protocols.md §8): the GOP after the one answered last. */
    public static String next(int requestId) {
        return PROLOG + "<methodcall><requestid>" + requestId + "</requestid><methodname>next</methodname>"
                + "</methodcall>" + TERMINATOR;
    }

    /**
     * {@code alarms} (docs/protocols.md §8): the recorded sequences around {@code centerMs}, {@code spanMs} each side,
     * at most {@code count}.
     */
    public static String alarms(int requestId, long centerMs, long spanMs, int count) {
        return PROLOG + "<methodcall><requestid>" + requestId + "</requestid><methodname>alarms</methodname>"
                + "<centertime>" + centerMs + "</centertime><timespan>" + spanMs + "</timespan><numalarms>" + count
                + "</numalarms></methodcall>" + TERMINATOR;
    }

    /** Escapes the five XML special characters; drops CR and LF, which must not appear inside a request. */
    public static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r', '\n' -> { }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Splits a {@code connectparam} query string ({@code id=…&streamid=…&connectiontoken=…}) into its values. */
    public static java.util.Map<String, String> parseConnectParam(String connectParam) {
        java.util.Map<String, String> values = new java.util.HashMap<>();
        for (String pair : connectParam.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.putIfAbsent(pair.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT),
                        pair.substring(eq + 1).trim());
            }
        }
        return values;
    }
}
