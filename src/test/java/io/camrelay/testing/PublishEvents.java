package io.camrelay.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * nginx-rtmp's notifications of each publish and its end ({@link NginxRtmp#start(String)}), with the time each
 * arrived (ms since this object was made): the server's own account, to the millisecond, of who published what when.
 */
public final class PublishEvents implements AutoCloseable {

    /** One notification: {@code publish} or {@code publish_done} of stream key {@code name} by nginx client {@code client}. */
    public record Event(long atMillis, String call, String name, String client) {
    }

    private final long origin = System.nanoTime();
    private final List<Event> events = new ArrayList<>();
    private final HttpServer server;

    public PublishEvents() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            synchronized (this) {
                events.add(new Event(now(), form.getOrDefault("call", exchange.getRequestURI().getPath()),
                        form.get("name"), form.get("clientid")));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** What nginx's {@code on_publish}/{@code on_publish_done} point at. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Now, on the events' clock. */
    public long now() {
        return (System.nanoTime() - origin) / 1_000_000;
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** The accepted publishes of {@code name} at or after {@code sinceMillis}. */
    public synchronized List<Event> publishes(String name, long sinceMillis) {
        return events.stream().filter(e -> e.call().equals("publish") && name.equals(e.name())
                && e.atMillis() >= sinceMillis).toList();
    }

    /** Whether {@code name} is published now: its last notification is a publish. */
    public synchronized boolean publishedNow(String name) {
        Event last = null;
        for (Event e : events) {
            if (name.equals(e.name())) {
                last = e;
            }
        }
        return last != null && last.call().equals("publish");
    }

    /** When the last publish of {@code name} before {@code beforeMillis} ended, if it did. */
    public synchronized OptionalLong lastEnd(String name, long beforeMillis) {
        return events.stream().filter(e -> e.call().equals("publish_done") && name.equals(e.name())
                && e.atMillis() <= beforeMillis).mapToLong(Event::atMillis).max();
    }

    /**
     * Each moment a name had two publishers: a publish of a name that was still published (no publish_done since its
     * last publish). Empty when every name's publishes and ends alternate.
     */
    public synchronized List<String> concurrentPublishers() {
        Map<String, Integer> open = new HashMap<>();
        List<String> overlaps = new ArrayList<>();
        for (Event e : events) {
            if (e.call().equals("publish")) {
                if (open.merge(e.name(), 1, Integer::sum) > 1) {
                    overlaps.add(e.name() + " at " + e.atMillis() + " ms (client " + e.client() + ")");
                }
            } else if (e.call().equals("publish_done")) {
                open.merge(e.name(), -1, Integer::sum);
            }
        }
        return overlaps;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
