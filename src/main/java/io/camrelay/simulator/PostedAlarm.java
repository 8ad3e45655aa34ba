package io.camrelay.simulator;

import java.time.Instant;

/**
 * An alarm the simulated VMS received on {@code POST /api/rest/v1/alarms}.
 *
 * @param id      the alarm id the simulator assigned
 * @param name    alarm name
 * @param message alarm message
 * @param source  source id (a camera id)
 * @param time    when it arrived
 */
public record PostedAlarm(String id, String name, String message, String source, Instant time) {
}
