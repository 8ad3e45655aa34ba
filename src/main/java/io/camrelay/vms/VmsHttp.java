package io.camrelay.vms;

import io.camrelay.support.Secrets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP transport to the VMS: one {@link HttpClient} (HTTP/1.1, verified TLS unless the operator opted out),
 * a bounded time for each whole exchange and a bounded response body (docs/design.md §8). Transport failures become
 * {@link VmsUnavailableException}s naming the URL.
 */
final class VmsHttp {

    private static final Logger LOG = LoggerFactory.getLogger(VmsHttp.class);

    /** The response the VMS gave: status and body (at most the limit asked for). */
    record Response(int status, byte[] body, String contentType) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        @Override
        public String toString() {
            return "Response[status=" + status + ", body=" + body.length + " bytes]";
        }
    }

    private final HttpClient client;
    private final Duration requestTimeout;

    VmsHttp(VmsConfiguration config) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.getConnectTimeout());
        if (config.isTrustAllCertificates()) {
            // Once per session (one per application): the client is built once.
            LOG.warn("camrelay.xprotect.trust-all-certificates is on: the VMS certificate and host name are NOT"
                    + " verified; use it only for a VMS with a self-signed certificate on a trusted network");
            // The JDK checks the host name inside an X509ExtendedTrustManager; one that accepts everything skips it.
            builder.sslContext(trustAllContext());
        }
        this.client = builder.build();
        this.requestTimeout = config.getRequestTimeout();
    }

    /** Sends {@code request} and returns the response; its body is cut off with an error past {@code maxBody}. */
    Response send(HttpRequest request, int maxBody) {
        String where = request.method() + " " + Secrets.maskUrl(request.uri().toString());
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(request, info -> new BoundedBody(maxBody, where));
        try {
            HttpResponse<byte[]> r = future.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Response(r.statusCode(), r.body(),
                    r.headers().firstValue("Content-Type").orElse(""));
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new VmsUnavailableException(where + " got no complete answer within " + requestTimeout.toSeconds()
                    + " s: check that camrelay.xprotect.url points at a reachable XProtect management server", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new VmsUnavailableException(where + " was interrupted", e);
        } catch (ExecutionException e) {
            throw failure(where, e.getCause() == null ? e : e.getCause());
        }
    }

    /** A request builder for {@code uri} with the per-request timeout set. */
    HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout);
    }

    private static RuntimeException failure(String where, Throwable cause) {
        if (cause instanceof ResponseTooLargeException) {
            return new VmsUnavailableException(cause.getMessage(), null);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new VmsUnavailableException(where + ": connect timed out: check camrelay.xprotect.url and the"
                    + " network path to the VMS", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new VmsUnavailableException(where + ": no answer in time: the VMS is overloaded or unreachable",
                    cause);
        }
        if (cause instanceof ConnectException) {
            return new VmsUnavailableException(where + ": connection refused or unreachable: check"
                    + " camrelay.xprotect.url (host and port) and that the management server is running", cause);
        }
        if (cause instanceof SSLException) {
            return new VmsUnavailableException(where + ": TLS failed (" + cause.getMessage() + "): install the VMS"
                    + " certificate in the Java trust store, or set camrelay.xprotect.trust-all-certificates=true"
                    + " for a self-signed test server", cause);
        }
        if (cause instanceof IOException) {
            return new VmsUnavailableException(where + " failed: " + cause, cause);
        }
        return new VmsUnavailableException(where + " failed unexpectedly: " + cause, cause);
    }

    /** A response body larger than the limit for that call. */
    static final class ResponseTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        ResponseTooLargeException(String message) {
            super(message);
        }
    }

    /** Collects a body up to a limit; past it, cancels the exchange (the connection is dropped). */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final String where;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final List<ByteBuffer> parts = new ArrayList<>();
        private Flow.Subscription subscription;
        private int size;

        BoundedBody(int max, String where) {
            this.max = max;
            this.where = where;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                size += b.remaining();
                parts.add(b);
            }
            if (size > max) {
                parts.clear();
                subscription.cancel();
                result.completeExceptionally(new ResponseTooLargeException(where + " answered with more than " + max
                        + " bytes, more than any valid answer: refusing it (is camrelay.xprotect.url an XProtect"
                        + " server?)"));
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            if (result.isDone()) {
                return;
            }
            byte[] out = new byte[size];
            int at = 0;
            for (ByteBuffer b : parts) {
                int n = b.remaining();
                b.get(out, at, n);
                at += n;
            }
            result.complete(out);
        }
    }

    private static SSLContext trustAllContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context: " + e, e);
        }
    }

    /** Accepts any server certificate; used only when camrelay.xprotect.trust-all-certificates=true. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
