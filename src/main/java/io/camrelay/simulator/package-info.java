/**
 * CamRelay's XProtect simulator (IDP, SOAP, Config and Events REST, ImageServer live) serving clips as a 2025 R3
 * recording server does, for {@code --demo} and the tests (docs/simulator.md). It shares no protocol code with the
 * product: the ImageServer wire format (requests, ImageResponse framing, the GenericByteData header, livepackages) is
 * its own, written from the protocol reference, so a misreading is not made twice; {@code io.camrelay.media} only
 * cuts clips into access units (test data) and names their codec.
 *
 * <p>May import: io.camrelay.media.
 */
package io.camrelay.simulator;
