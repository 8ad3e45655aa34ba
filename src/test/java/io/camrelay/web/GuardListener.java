package io.camrelay.web;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/** Applies the status-server guard as the application's wiring does, for tests that start only the status server. */
final class GuardListener extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        StatusServerGuard.apply(main);
    }
}
