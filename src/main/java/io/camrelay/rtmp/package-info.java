/**
 * The {@code rtmp:}/{@code rtmps:} Camel component: publishes FLV tags to RTMP servers, with the component, endpoint,
 * configuration, producer and constants at this root and the protocol layers below it (handshake, chunk, message,
 * client). Users' Camel applications use this root only; it never needs the {@code xprotect:} component.
 *
 * <p>May import: io.camrelay.rtmp.client, io.camrelay.rtmp.chunk, io.camrelay.rtmp.handshake,
 * io.camrelay.rtmp.message, io.camrelay.media, io.camrelay.support.
 */
package io.camrelay.rtmp;
