package io.camrelay.simulator;

import java.time.Instant;

/**
 * An event the simulated VMS received on {@code POST /api/rest/v1/events}.
 *
 * @param typeId   the event type id posted
 * @param typeName its name, when it is a user-defined event of the simulator
 * @param time     when it arrived
 */
public record PostedEvent(String typeId, String typeName, Instant time) {
}
