package io.camrelay.imageserver;

import io.camrelay.imageserver.codec.ImageServerLimits;
import io.camrelay.vms.VmsAccess;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** Options of the {@code xprotect:} endpoint. */
@UriParams
public class XProtectConfiguration implements Cloneable {

    static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    /** The official sample's 10 s read timeout on the live socket (docs/protocols.md §1.1). */
    static final long DEFAULT_NO_DATA_TIMEOUT_MS = 10_000;
    static final long DEFAULT_RECONNECT_INITIAL_MS = 1_000;
    static final long DEFAULT_RECONNECT_MAX_MS = 60_000;
    /** Consumer modes: the live push, or a recorded range read with goto/next (docs/protocols.md §8). */
    public static final String MODE_LIVE = "live";
    public static final String MODE_PLAYBACK = "playback";
    /**
     * Pictures a playback consumer may hold for its route before it asks the recorder for more: 1 MiB. Small on
     * purpose: what waits in the queue outlives a young collection, and at hundreds of times real time 8 MiB of it
     * promoted every collection made a 60-minute export's heap (and RSS) grow to the -Xmx; at 1 MiB the export's heap
     * stays at ~13 MB after each young collection, no slower (bench/export.py).
     */
    static final long DEFAULT_MAX_QUEUED_BYTES = 1024L * 1024;

    @UriParam(label = "consumer")
    private String streamId;
    @UriParam(label = "consumer", defaultValue = MODE_LIVE, enums = MODE_LIVE + "," + MODE_PLAYBACK)
    private String mode = MODE_LIVE;
    @UriParam(label = "consumer,playback")
    private String from;
    @UriParam(label = "consumer,playback")
    private String to;
    @UriParam(label = "consumer,playback", defaultValue = "3")
    private int maxRequestsInFlight = io.camrelay.imageserver.session.PlaybackSettings.DEFAULT_MAX_REQUESTS_IN_FLIGHT;
    @UriParam(label = "consumer,playback,advanced", defaultValue = "1048576")
    private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    @UriParam(label = "consumer", defaultValue = "10000", javaType = "java.time.Duration")
    private long connectTimeout = DEFAULT_CONNECT_TIMEOUT_MS;
    @UriParam(label = "consumer", defaultValue = "10000", javaType = "java.time.Duration")
    private long noDataTimeout = DEFAULT_NO_DATA_TIMEOUT_MS;
    @UriParam(label = "consumer", defaultValue = "1000", javaType = "java.time.Duration")
    private long reconnectInitialDelay = DEFAULT_RECONNECT_INITIAL_MS;
    @UriParam(label = "consumer", defaultValue = "60000", javaType = "java.time.Duration")
    private long reconnectMaxDelay = DEFAULT_RECONNECT_MAX_MS;
    @UriParam(label = "advanced", defaultValue = "16777216")
    private int maxContentLength = ImageServerLimits.DEFAULT_MAX_CONTENT_LENGTH;
    @UriParam(label = "advanced", defaultValue = "1024")
    private int maxHeaderLine = ImageServerLimits.DEFAULT_MAX_HEADER_LINE;
    @UriParam(label = "advanced", defaultValue = "32")
    private int maxHeaders = ImageServerLimits.DEFAULT_MAX_HEADERS;
    @UriParam(label = "advanced", defaultValue = "65536")
    private int maxXmlSize = ImageServerLimits.DEFAULT_MAX_XML_SIZE;
    @UriParam(label = "security", defaultValue = "false")
    private boolean trustAllCertificates;
    @UriParam(label = "advanced")
    @Metadata(autowired = true)
    private VmsAccess vmsAccess;
    @UriParam(label = "consumer,advanced")
    private XProtectSessionListener sessionListener;

    public String getStreamId() {
        return streamId;
    }

    /**
     * The camera stream to receive: its stream reference id (a GUID, as the camera's streams list in the
     * Configuration API reports it). Empty: the camera's default live stream.
     */
    public void setStreamId(String streamId) {
        this.streamId = streamId;
    }

    public String getMode() {
        return mode;
    }

    /**
     * {@code live} (the default): the camera's live push, reconnected by itself. {@code playback}: the recording from
     * {@code from} to {@code to}, read with goto and pipelined next as fast as the recorder sends and the route takes;
     * one exchange per picture in decode order with the same headers as live, then one last exchange with an empty
     * body and the header CamRelayPlaybackEnd (TO_REACHED or END_OF_RECORDING), after which nothing follows. A lost
     * playback is not retried: the error handler gets a PlaybackFailedException (use bridgeErrorHandler=true).
     */
    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getFrom() {
        return from;
    }

    /**
     * Playback: where the range starts, on the recorder's clock: ISO-8601 UTC ({@code 2026-11-21T14:02:00Z}) or ms
     * since the epoch. The first exchange is the key frame at or before it.
     */
    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    /** Playback: where the range ends (exclusive), as {@code from}; the first picture at or after it ends the input. */
    public void setTo(String to) {
        this.to = to;
    }

    public int getMaxRequestsInFlight() {
        return maxRequestsInFlight;
    }

    /**
     * Playback: how many goto/next requests may await their replies at once (1 to 8); each is answered with one GOP.
     * More hides the round trip to a distant recorder, fewer holds less.
     */
    public void setMaxRequestsInFlight(int maxRequestsInFlight) {
        this.maxRequestsInFlight = maxRequestsInFlight;
    }

    public long getMaxQueuedBytes() {
        return maxQueuedBytes;
    }

    /**
     * Playback: how many bytes of pictures may wait for the route before no more are asked for; with the GOPs in
     * flight this bounds the consumer's memory whatever the range's length.
     */
    public void setMaxQueuedBytes(long maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    /** How long to wait for the TCP (and TLS) connection to the recording server. */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getNoDataTimeout() {
        return noDataTimeout;
    }

    /** Reconnect when no picture arrived for this long. */
    public void setNoDataTimeout(long noDataTimeout) {
        this.noDataTimeout = noDataTimeout;
    }

    public long getReconnectInitialDelay() {
        return reconnectInitialDelay;
    }

    /** The first delay before reconnecting a lost session; it doubles (with jitter) up to reconnectMaxDelay. */
    public void setReconnectInitialDelay(long reconnectInitialDelay) {
        this.reconnectInitialDelay = reconnectInitialDelay;
    }

    public long getReconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /**
     * The longest delay between reconnect attempts; also the delay after a failure only the operator can fix
     * (unknown camera, JPEG stream).
     */
    public void setReconnectMaxDelay(long reconnectMaxDelay) {
        this.reconnectMaxDelay = reconnectMaxDelay;
    }

    public int getMaxContentLength() {
        return maxContentLength;
    }

    /** The largest picture (ImageResponse Content-length, bytes) accepted; a larger one closes the session. */
    public void setMaxContentLength(int maxContentLength) {
        this.maxContentLength = maxContentLength;
    }

    public int getMaxHeaderLine() {
        return maxHeaderLine;
    }

    /** The longest ImageResponse header line (bytes) accepted. */
    public void setMaxHeaderLine(int maxHeaderLine) {
        this.maxHeaderLine = maxHeaderLine;
    }

    public int getMaxHeaders() {
        return maxHeaders;
    }

    /** The most header lines one ImageResponse may have. */
    public void setMaxHeaders(int maxHeaders) {
        this.maxHeaders = maxHeaders;
    }

    public int getMaxXmlSize() {
        return maxXmlSize;
    }

    /** The largest XML document (methodresponse, livepackage; bytes) accepted. */
    public void setMaxXmlSize(int maxXmlSize) {
        this.maxXmlSize = maxXmlSize;
    }

    public boolean isTrustAllCertificates() {
        return trustAllCertificates;
    }

    /**
     * Accept any certificate of an https recording server (self-signed). Off by default: certificates are verified.
     */
    public void setTrustAllCertificates(boolean trustAllCertificates) {
        this.trustAllCertificates = trustAllCertificates;
    }

    public VmsAccess getVmsAccess() {
        return vmsAccess;
    }

    /**
     * The logged-in XProtect VMS session that gives the token, its renewals and the camera's recording server.
     * Found in the registry when there is exactly one; otherwise refer to it as {@code vmsAccess=#beanName}.
     */
    public void setVmsAccess(VmsAccess vmsAccess) {
        this.vmsAccess = vmsAccess;
    }

    public XProtectSessionListener getSessionListener() {
        return sessionListener;
    }

    /** Told about every state change of the session (for status pages); must not block. */
    public void setSessionListener(XProtectSessionListener sessionListener) {
        this.sessionListener = sessionListener;
    }

    ImageServerLimits limits() {
        return new ImageServerLimits(maxContentLength, maxHeaderLine, maxHeaders, maxXmlSize);
    }

    /** A copy for one endpoint. */
    public XProtectConfiguration copy() {
        try {
            return (XProtectConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
