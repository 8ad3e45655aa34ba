/**
 * What every other package shares and nothing else: the one masker of secrets ({@link io.camrelay.support.Secrets}),
 * the message contract's header names ({@link io.camrelay.support.MediaHeaders}), the back-off with jitter, the
 * duration syntax of the settings, the names of shared meters, the one hardened XML parser.
 *
 * <p>May import: nothing of CamRelay's. No Camel, no Netty.
 */
package io.camrelay.support;
