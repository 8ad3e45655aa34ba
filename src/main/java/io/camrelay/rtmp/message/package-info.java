/**
 * The RTMP message layer (docs/protocols.md A2, A3): protocol control and user control messages answered here (acks,
 * pings, window and chunk sizes), AMF0 commands, chunk stream ids.
 *
 * <p>May import: io.camrelay.rtmp.chunk, io.camrelay.media, io.camrelay.support. No Camel.
 */
package io.camrelay.rtmp.message;
