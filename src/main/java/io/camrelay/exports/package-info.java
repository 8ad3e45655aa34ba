/**
 * Recorded-video exports (architecture §11, docs/design.md §11): jobs (one camera, one time range, one file) run on
 * a bounded worker pool through the {@code xprotect:} consumer's playback mode and the route set's processors into
 * {@code media}'s MP4 or FLV writer; their state and files under {@code camrelay.exports.dir}, surviving a restart,
 * with retention; the cameras, their recordings and snapshots through {@link io.camrelay.exports.CameraCatalog},
 * which the application implements on the VMS. No VMS, no component classes: the consumer is used by its URI.
 *
 * <p>May import: io.camrelay.streams, io.camrelay.media, io.camrelay.support.
 */
package io.camrelay.exports;
