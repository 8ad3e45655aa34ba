/**
 * The route set's model and steps (docs/design.md §1, §3, §5–§7): stream definitions and their sources, the
 * reconciler that keeps one route per stream, the status of every stream and destination, the route's processors
 * (header stripping, codec check, frame recording, FLV tagging, silent audio) and the destination fan-out with its
 * extension point ({@link io.camrelay.streams.DestinationType}).
 *
 * <p>The rule between this package and {@code app}: streams knows the message contract, media and Camel, but not
 * the VMS or either component; whatever connects it to them (the RTMP destination type, the plugin items, the camera
 * resolver, the session listener) is the application's, in {@code app}.
 *
 * <p>May import: io.camrelay.media, io.camrelay.support.
 */
package io.camrelay.streams;
