/**
 * The application: Camel Main, the one wiring of every bean, the demo, the shared error handling of stream routes,
 * and the adapters that connect the route set to the VMS and the components (the RTMP destination type, the RTMP
 * Streamer items, the camera resolver, the ImageServer session listener).
 *
 * <p>May import: everything.
 */
package io.camrelay.app;
