/**
 * Alerts (docs/design.md §14): one webhook POST when a stream has been out of STREAMING for a while and one when it
 * is back, an episode at a time however often it flaps; posted from a bounded queue by a sender thread of its own
 * with back-off, so that a slow or absent receiver never touches a stream.
 *
 * <p>May import: io.camrelay.streams, io.camrelay.support.
 */
package io.camrelay.alerts;
