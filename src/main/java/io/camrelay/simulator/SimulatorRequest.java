package io.camrelay.simulator;

import java.util.Map;
import java.util.Optional;

/**
 * One {@code methodcall} a client sent the simulated ImageServer (§1.2–§1.6), as {@link SimulatorRequestDecoder}
 * read it.
 *
 * @param requestId the {@code requestid}
 * @param method    the {@code methodname}
 * @param elements  the text of the other child elements of {@code methodcall} that have no children themselves,
 *                  by name, entities decoded (e.g. {@code connectparam}, {@code alwaysstdjpeg})
 */
record SimulatorRequest(int requestId, String method, Map<String, String> elements) {

    SimulatorRequest {
        elements = Map.copyOf(elements);
    }

    Optional<String> element(String name) {
        return Optional.ofNullable(elements.get(name));
    }

    /** The values of a {@code connectparam} query string ({@code id=…&streamid=…&connectiontoken=…}, §1.2). */
    Map<String, String> connectParam() {
        java.util.Map<String, String> values = new java.util.HashMap<>();
        for (String pair : element("connectparam").orElse("").split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.putIfAbsent(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return values;
    }
}
