package io.camrelay.support;

/**
 * Names shared by everything that records metrics: where the Micrometer registry is found, and the meters more than
 * one package records or reads.
 */
public final class MeterNames {

    /** The bean name camel-micrometer binds its (Prometheus) meter registry under. */
    public static final String REGISTRY_BEAN = "metricsRegistry";

    private MeterNames() {
    }
}
