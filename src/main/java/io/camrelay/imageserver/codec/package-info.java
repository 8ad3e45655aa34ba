/**
 * The ImageServer wire format (docs/protocols.md §1): requests, the bounded decoder of the mixed ImageResponse / XML
 * stream, the XML reader. Netty codecs, no session state.
 *
 * <p>May import: io.camrelay.support. No Camel.
 */
package io.camrelay.imageserver.codec;
