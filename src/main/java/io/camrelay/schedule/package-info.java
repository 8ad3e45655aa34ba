/**
 * Schedules (docs/design.md §6 "Gates"): the gate that keeps a stream SCHEDULED outside its windows and daylight,
 * the pure arithmetic behind it (weekday windows on the wall clock of a time zone, sunrise and sunset from
 * commons-suncalc, their intersection) and the Quartz triggers, on Camel Quartz's scheduler, that make the reconciler
 * re-check a stream at each edge. Where a camera is (its XProtect gisPoint) comes from the wiring.
 *
 * <p>May import: io.camrelay.streams, io.camrelay.support.
 */
package io.camrelay.schedule;
