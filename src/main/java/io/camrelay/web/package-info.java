/**
 * The status server on Camel's platform HTTP: the status API and the dashboard, health and Prometheus metrics, the
 * cameras and exports API (architecture §11), and the guard that refuses a reachable binding without credentials (docs/design.md §6, §8).
 *
 * <p>May import: io.camrelay.streams, io.camrelay.exports, io.camrelay.media, io.camrelay.support.
 */
package io.camrelay.web;
