/**
 * The {@code xprotect:} Camel component: one exchange per picture of a camera's live stream from its recording
 * server's ImageServer, with the component, endpoint, configuration, consumer, constants and health check at this
 * root and the protocol below it ({@code codec}: the wire format; {@code session}: the connection and the live
 * push). Users' Camel applications use this root only.
 *
 * <p>May import: io.camrelay.imageserver.codec, io.camrelay.imageserver.session, io.camrelay.vms, io.camrelay.media,
 * io.camrelay.support.
 */
package io.camrelay.imageserver;
