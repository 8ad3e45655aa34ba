package io.camrelay.simulator;

/**
 * How the simulated ImageServer kept pace, over all sessions since start.
 *
 * @param framesSent        pictures written to a client
 * @param framesSkipped     pictures not sent because the client's socket was not writable (a slow reader)
 * @param framesLate        pictures sent more than one frame interval after their due time
 * @param maxLatenessMicros the largest delay of a picture behind its due time, µs
 */
public record SimulatorPacing(long framesSent, long framesSkipped, long framesLate, long maxLatenessMicros) {
}
