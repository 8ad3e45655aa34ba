/**
 * The RTMP handshake (C0–C2 / S0–S2, docs/protocols.md A1) as a Netty handler that removes itself when done.
 *
 * <p>May import: io.camrelay.support. No Camel.
 */
package io.camrelay.rtmp.handshake;
