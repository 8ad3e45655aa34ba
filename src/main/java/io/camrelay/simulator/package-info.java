/**
 * CamRelay's XProtect simulator (IDP, SOAP, Config and Events REST, ImageServer live) serving bundled clips at real-
 * time pace, for {@code --demo} and the tests (docs/simulator.md).
 *
 * <p>May import: io.camrelay.imageserver.codec, io.camrelay.media.
 */
package io.camrelay.simulator;
