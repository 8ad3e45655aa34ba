/**
 * The media core, pure functions and small stateful steps over bytes: GenericByteData, codec ids, Annex B and access
 * units, H.264 parameter sets and slice headers, the per-codec FLV taggers ({@link io.camrelay.media.VideoTagger}),
 * FLV tags and files, AMF0, the silent AAC track and the stream timeline (docs/protocols.md §2, A4–A9).
 *
 * <p>May import: nothing of CamRelay's. No Camel, no Netty.
 */
package io.camrelay.media;
