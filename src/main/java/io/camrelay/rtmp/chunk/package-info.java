/**
 * The RTMP chunk stream (docs/protocols.md A2): messages cut into chunks and reassembled, with every declared length
 * checked against a limit as it is read.
 *
 * <p>May import: io.camrelay.support. No Camel.
 */
package io.camrelay.rtmp.chunk;
