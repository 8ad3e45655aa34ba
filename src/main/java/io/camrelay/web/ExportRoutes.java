package io.camrelay.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camrelay.exports.CameraCatalog;
import io.camrelay.exports.ExportJob;
import io.camrelay.exports.ExportRequestException;
import io.camrelay.exports.ExportService;
import io.camrelay.exports.ExportState;
import io.camrelay.exports.RecordedSpan;
import io.camrelay.streams.StreamStatusRegistry;
import io.camrelay.support.Secrets;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cameras and exports API on the status server (architecture §11; same host, port and credentials as
 * {@link StatusRoutes}): {@code GET /api/cameras}, {@code GET /api/cameras/{id}/sequences?from=&to=} (merged spans),
 * {@code GET /api/cameras/{id}/snapshot} (JPEG), {@code POST /api/exports} (202 + Location), {@code GET
 * /api/exports[/{id}]}, {@code GET /api/exports/{id}/file} (attachment, one byte range) and {@code DELETE
 * /api/exports/{id}} (204). A wrong request is a 400 naming the field; an unknown id a 404. Handlers run on the HTTP
 * server's worker threads (platform-http runs routes as blocking work), never on its event loop.
 */
public class ExportRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ExportRoutes.class);
    static final String JSON = "application/json";
    /** The default window of the sequences listing when {@code from}/{@code to} are left out: the last day. */
    static final long DEFAULT_WINDOW_HOURS = 24;

    private final ExportService exports;
    private final ObjectMapper json = StreamStatusRegistry.jsonMapper();

    public ExportRoutes(ExportService exports) {
        this.exports = exports;
    }

    @Override
    public void configure() {
        CameraCatalog catalog = exports.catalog();
        from("platform-http:/api/cameras?httpMethodRestrict=GET").routeId("api-cameras")
                .process(e -> guarded(e, () -> {
                    requireVms(catalog);
                    reply(e, 200, JSON, json.writeValueAsString(catalog.cameras()));
                }));
        from("platform-http:/api/cameras/{id}/sequences?httpMethodRestrict=GET").routeId("api-camera-sequences")
                .process(e -> guarded(e, () -> sequences(e, catalog)));
        from("platform-http:/api/cameras/{id}/snapshot?httpMethodRestrict=GET").routeId("api-camera-snapshot")
                .process(e -> guarded(e, () -> {
                    CameraCatalog.Camera camera = camera(e, catalog);
                    CameraCatalog.Snapshot snapshot = catalog.snapshot(camera.id());
                    reply(e, 200, "image/jpeg", snapshot.jpeg());
                }));
        from("platform-http:/api/exports?httpMethodRestrict=GET,POST").routeId("api-exports")
                .process(e -> guarded(e, () -> {
                    if ("POST".equals(e.getMessage().getHeader(Exchange.HTTP_METHOD, String.class))) {
                        submit(e);
                    } else {
                        reply(e, 200, JSON, json.writeValueAsString(exports.jobs()));
                    }
                }));
        from("platform-http:/api/exports/{id}?httpMethodRestrict=GET,DELETE").routeId("api-export")
                .process(e -> guarded(e, () -> {
                    String id = e.getMessage().getHeader("id", String.class);
                    if ("DELETE".equals(e.getMessage().getHeader(Exchange.HTTP_METHOD, String.class))) {
                        if (exports.delete(id)) {
                            reply(e, 204, JSON, new byte[0]);
                        } else {
                            error(e, 404, null, noJob(id));
                        }
                        return;
                    }
                    Optional<ExportJob> job = exports.job(id);
                    if (job.isPresent()) {
                        reply(e, 200, JSON, json.writeValueAsString(job.get()));
                    } else {
                        error(e, 404, null, noJob(id));
                    }
                }));
        from("platform-http:/api/exports/{id}/file?httpMethodRestrict=GET").routeId("api-export-file")
                .process(e -> guarded(e, () -> download(e)));
    }

    private void sequences(Exchange e, CameraCatalog catalog) throws Exception {
        CameraCatalog.Camera camera = camera(e, catalog);
        String fromText = e.getMessage().getHeader("from", String.class);
        String toText = e.getMessage().getHeader("to", String.class);
        Instant to = toText == null || toText.isBlank() ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
                : ExportService.time("to", toText);
        Instant from = fromText == null || fromText.isBlank() ? to.minus(DEFAULT_WINDOW_HOURS, ChronoUnit.HOURS)
                : ExportService.time("from", fromText);
        if (!to.isAfter(from)) {
            throw new ExportRequestException("to", "to " + to + " is not after from " + from + " (expected to > from)");
        }
        List<RecordedSpan> merged = RecordedSpan.merge(catalog.sequences(camera.id(), from, to), from, to);
        reply(e, 200, JSON, json.writeValueAsString(merged));
    }

    private void submit(Exchange e) throws Exception {
        byte[] raw = e.getMessage().getBody(byte[].class);
        JsonNode body;
        try {
            body = raw == null || raw.length == 0 ? null : json.readTree(raw);
        } catch (IOException ex) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw new ExportRequestException("body", "the request body must be a JSON object {\"camera\", \"from\", "
                    + "\"to\", \"format\"}");
        }
        ExportJob job = exports.submit(text(body, "camera"), text(body, "from"), text(body, "to"), text(body,
                "format"));
        e.getMessage().removeHeaders("*");
        e.getMessage().setHeader("Location", "/api/exports/" + job.id());
        reply(e, 202, JSON, json.writeValueAsString(job), false);
    }

    private void download(Exchange e) throws IOException {
        String id = e.getMessage().getHeader("id", String.class);
        Optional<ExportJob> job = exports.job(id);
        if (job.isEmpty()) {
            error(e, 404, null, noJob(id));
            return;
        }
        Optional<Path> file = exports.file(id);
        if (file.isEmpty()) {
            error(e, 409, null, "export " + id + " is " + job.get().state() + (job.get().state() == ExportState.FAILED
                    ? " (" + job.get().error() + ")" : "") + ": only a DONE export has a file; GET /api/exports/" + id
                    + " shows its state");
            return;
        }
        long size = Files.size(file.get());
        ByteRange range = ByteRange.parse(e.getMessage().getHeader("Range", String.class), size);
        e.getMessage().removeHeaders("*");
        e.getMessage().setHeader("Content-Disposition", "attachment; filename=\"" + fileName(job.get()) + "\"");
        e.getMessage().setHeader("Accept-Ranges", "bytes");
        if (range == ByteRange.UNSATISFIABLE) {
            e.getMessage().setHeader("Content-Range", "bytes */" + size);
            reply(e, 416, JSON, json.writeValueAsBytes(Map.of("error", "the Range asked for lies outside the "
                    + size + "-byte file")), false);
            return;
        }
        long start = range == null ? 0 : range.first();
        long length = range == null ? size : range.last() - range.first() + 1;
        if (e.getMessage() instanceof HttpMessage http) {
            // Vert.x sends the file itself, with its Content-Length (zero-copy where the OS can): a Camel body that is
            // a stream goes out chunked, without a length, so a browser could show no size and no progress
            HttpServerResponse response = http.getResponse();
            response.setStatusCode(range == null ? 200 : 206)
                    .putHeader("Content-Disposition", "attachment; filename=\"" + fileName(job.get()) + "\"")
                    .putHeader("Accept-Ranges", "bytes")
                    .putHeader("Content-Type", job.get().format().contentType());
            if (range != null) {
                response.putHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
            }
            response.sendFile(file.get().toString(), start, length).onFailure(failure -> LOG.debug(
                    "export {}: the download ended early: {}", id, failure.toString()));
            return;
        }
        InputStream in = Files.newInputStream(file.get());
        in.skipNBytes(start);
        if (range != null) {
            e.getMessage().setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
        }
        e.getMessage().setHeader("Content-Length", length);
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, range == null ? 200 : 206);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, job.get().format().contentType());
        e.getMessage().setBody(new BoundedInputStream(in, length));
    }

    private static String fileName(ExportJob job) {
        String camera = job.cameraName() == null ? job.camera() : job.cameraName();
        String safe = camera.replaceAll("[^A-Za-z0-9._-]+", "-");
        return safe + "_" + job.from().toString().replace(":", "") + "_" + job.to().toString().replace(":", "")
                + "." + job.format().extension();
    }

    private static CameraCatalog.Camera camera(Exchange e, CameraCatalog catalog) {
        requireVms(catalog);
        String id = e.getMessage().getHeader("id", String.class);
        return catalog.camera(id).orElseThrow(() -> new NotFound("XProtect has no camera '" + printable(id)
                + "': GET /api/cameras lists them"));
    }

    private static void requireVms(CameraCatalog catalog) {
        if (!catalog.available()) {
            throw new NotFound(ExportService.noVms());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String noJob(String id) {
        return "no export with id '" + printable(id) + "': GET /api/exports lists them";
    }

    private static String printable(String s) {
        return String.valueOf(s).replaceAll("[^A-Za-z0-9 ._:-]", "?");
    }

    /** Runs {@code handler}, turning what it throws into the API's error answers. */
    private void guarded(Exchange e, Handler handler) throws Exception {
        try {
            handler.run();
        } catch (ExportRequestException ex) {
            error(e, 400, ex.field(), ex.getMessage());
        } catch (NotFound ex) {
            error(e, 404, null, ex.getMessage());
        } catch (IllegalStateException ex) {
            error(e, 503, null, ex.getMessage());
        } catch (RuntimeException ex) {
            // the VMS or a recorder failed: the message says which and why
            String message = Secrets.maskUrlsIn(String.valueOf(ex.getMessage()));
            LOG.warn("{} {} failed: {}", e.getMessage().getHeader(Exchange.HTTP_METHOD),
                    e.getMessage().getHeader(Exchange.HTTP_PATH), message);
            error(e, 502, null, message);
        }
    }

    private void error(Exchange e, int status, String field, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (field != null) {
            body.put("field", field);
        }
        reply(e, status, JSON, json.writeValueAsBytes(body));
    }

    private static void reply(Exchange e, int code, String contentType, String body) {
        reply(e, code, contentType, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void reply(Exchange e, int code, String contentType, byte[] body) {
        reply(e, code, contentType, body, true);
    }

    private static void reply(Exchange e, int code, String contentType, Object body, boolean clearHeaders) {
        if (clearHeaders) {
            e.getMessage().removeHeaders("*");
        }
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        e.getMessage().setHeader("Cache-Control", "no-store");
        e.getMessage().setBody(body instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8) : body);
    }

    @FunctionalInterface
    private interface Handler {
        void run() throws Exception;
    }

    /** A 404 answer. */
    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }
}
