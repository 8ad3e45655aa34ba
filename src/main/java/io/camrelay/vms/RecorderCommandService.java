package io.camrelay.vms;

import io.camrelay.support.Secrets;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The recording server's RecorderCommandService (docs/protocols.md §8, its WSDL): SOAP 1.1 at
 * {@code {webServerUri}/RecorderCommandService/RecorderCommandService.asmx}, on the ImageServer's port, with the VMS
 * token. {@link #sequences} lists a camera's recordings with {@code SequencesGet} (type RecordingSequence), paging
 * through results of {@value #PAGE} entries. Replies are parsed with the hardened parser and bounded in size.
 * Blocking: never call it on an event loop.
 */
public final class RecorderCommandService {

    /** Service path below the recorder's web server URI (§8). */
    static final String PATH = "/RecorderCommandService/RecorderCommandService.asmx";
    /** Namespace and SOAPAction prefix (§8). */
    static final String NAMESPACE = "http://videoos.net/2/XProtectCSRecorderCommand/";
    /** SequenceType of recordings, as 2025 R1 recorders list it (§8). */
    public static final String RECORDING_SEQUENCE = "f9c62604-d0c5-4050-ae25-72de51639b14";
    /** Entries asked for per SequencesGet ({@code maxCount} is required, §8); a full page asks for the next. */
    static final int PAGE = 1000;
    /** Pages read at most for one listing (a million sequences): a bound, not a limit anyone should meet. */
    static final int MAX_PAGES = 1000;
    /** A page of 1000 entries is ~150 KB. */
    static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private final VmsHttp http;
    private final VmsAccess vms;

    RecorderCommandService(VmsHttp http, VmsAccess vms) {
        this.http = http;
        this.vms = vms;
    }

    /**
     * The camera's recorded sequences overlapping [{@code from}, {@code to}], as the recorder returns them (whole,
     * sorted by begin), paged.
     *
     * @throws SequencesUnavailableException when the recorder does not serve SequencesGet
     * @throws UnknownCameraException        when the VMS or the recorder does not know the camera
     * @throws VmsUnavailableException       when the recorder cannot be reached or answers with a fault
     */
    public List<RecordedSequence> sequences(String cameraId, Instant from, Instant to) {
        RecorderAddress recorder = vms.recorderFor(cameraId);
        URI endpoint = URI.create((recorder.tls() ? "https://" : "http://") + recorder.host() + ":" + recorder.port()
                + PATH);
        List<RecordedSequence> out = new ArrayList<>();
        Instant pageFrom = from;
        for (int page = 0; page < MAX_PAGES; page++) {
            List<RecordedSequence> entries = page(endpoint, cameraId, pageFrom, to);
            out.addAll(entries);
            if (entries.size() < PAGE) {
                return out;
            }
            Instant last = entries.get(entries.size() - 1).end();
            if (!last.isAfter(pageFrom)) {
                return out;
            }
            pageFrom = last;
        }
        return out;
    }

    private List<RecordedSequence> page(URI endpoint, String cameraId, Instant from, Instant to) {
        String token = vms.vmsToken();
        Document doc = call(endpoint, cameraId, from, to, token);
        if (doc == null) {
            // the token expired between the look-up and the call: once more with a fresh one
            vms.tokenRejected(token);
            doc = call(endpoint, cameraId, from, to, vms.vmsToken());
            if (doc == null) {
                throw new VmsUnavailableException("recorder " + where(endpoint) + " refused the VMS token for "
                        + "SequencesGet twice: check the user's rights on the recording server", null);
            }
        }
        List<RecordedSequence> entries = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagNameNS("*", "SequenceEntry");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element entry = (Element) nodes.item(i);
            Instant begin = time(endpoint, entry, "TimeBegin");
            Instant end = time(endpoint, entry, "TimeEnd");
            entries.add(new RecordedSequence(begin, end.isBefore(begin) ? begin : end));
        }
        return entries;
    }

    /** The parsed reply, or null when the recorder refused the token. */
    private Document call(URI endpoint, String cameraId, Instant from, Instant to, String token) {
        String envelope = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><SequencesGet "
                + "xmlns=\"" + NAMESPACE + "\"><token>" + SoapXml.escape(token) + "</token><deviceId>"
                + SoapXml.escape(cameraId) + "</deviceId><sequenceType>" + RECORDING_SEQUENCE + "</sequenceType>"
                + "<minTime>" + from + "</minTime><maxTime>" + to + "</maxTime><maxCount>" + PAGE + "</maxCount>"
                + "</SequencesGet></s:Body></s:Envelope>";
        HttpRequest request = http.request(endpoint)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "\"" + NAMESPACE + "SequencesGet\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8))
                .build();
        VmsHttp.Response r = http.send(request, MAX_RESPONSE_BYTES);
        if (r.status() == 404) {
            throw new SequencesUnavailableException("recorder " + where(endpoint) + " has no RecorderCommandService"
                    + " (HTTP 404)");
        }
        Document doc;
        try {
            doc = r.body().length == 0 ? null : SoapXml.parse(r.body());
        } catch (SAXException e) {
            throw new VmsUnavailableException("recorder " + where(endpoint) + " answered SequencesGet with XML that "
                    + "does not parse (" + e.getMessage() + ")", null);
        }
        if (doc != null && SoapXml.first(doc, "Fault").isPresent()) {
            String fault = SoapXml.text(doc, "faultstring").or(() -> SoapXml.text(doc, "Text")).orElse("unknown");
            if (fault.toLowerCase(java.util.Locale.ROOT).contains("token")) {
                return null;
            }
            if (fault.contains("Unknown device")) {
                throw new UnknownCameraException(cameraId, "recorder " + where(endpoint) + " answered SequencesGet"
                        + " with 'Unknown device'");
            }
            if (fault.contains("did not recognize") || fault.contains("SOAPAction")) {
                throw new SequencesUnavailableException("recorder " + where(endpoint) + " does not know SequencesGet"
                        + " (" + fault + ")");
            }
            throw new VmsUnavailableException("recorder " + where(endpoint) + " answered SequencesGet with a fault: "
                    + Secrets.mask(fault, token) + " (HTTP " + r.status() + ")", null);
        }
        if (!r.ok() || doc == null) {
            throw new VmsUnavailableException("recorder " + where(endpoint) + " answered SequencesGet with HTTP "
                    + r.status() + (doc == null ? " and no body" : ""), null);
        }
        return doc;
    }

    /**
     * An xs:dateTime of the reply: UTC when it says so or has an offset; a time without a zone is taken as UTC (the
     * WSDL's times are UTC, §8).
     */
    private static Instant time(URI endpoint, Element entry, String name) {
        String text = SoapXml.text(entry, name).orElse("");
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                throw new VmsUnavailableException("recorder " + where(endpoint) + " answered SequencesGet with "
                        + name + " '" + text + "', not an xs:dateTime", null);
            }
        }
    }

    private static String where(URI endpoint) {
        return endpoint.getScheme() + "://" + endpoint.getHost() + ":" + endpoint.getPort();
    }
}
