/**
 * The publishing client (docs/protocols.md A0, A3–A10): the URL split, one connection's publish sequence, the
 * publisher that reconnects with back-off, the send queue bounded in media time, latency metering.
 *
 * <p>May import: io.camrelay.rtmp.chunk, io.camrelay.rtmp.handshake, io.camrelay.rtmp.message, io.camrelay.media,
 * io.camrelay.support. No Camel.
 */
package io.camrelay.rtmp.client;
