/**
 * Access to the XProtect VMS over HTTP: the IDP token and the SOAP login with renewal ({@link
 * io.camrelay.vms.VmsSession}), the Config REST client (cameras, recorders, streams, the RTMP Streamer plugin's
 * items), the Events/Alarms client (docs/protocols.md §3–§6). Blocking calls: never call them on an event loop.
 *
 * <p>May import: io.camrelay.support. No Camel, no Netty.
 */
package io.camrelay.vms;
