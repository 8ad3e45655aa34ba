/**
 * ImageServer sessions on Netty: connecting and authenticating to a recorder with token renewal on the open socket,
 * and the live push with its watchdog and reconnects (docs/protocols.md §1, §3.3).
 *
 * <p>May import: io.camrelay.imageserver.codec, io.camrelay.vms, io.camrelay.media, io.camrelay.support. No Camel.
 */
package io.camrelay.imageserver.session;
