package io.camrelay.streams;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteTemplateDefinition;

/** A stand-in for the shipped stream template: the parameters the reconciler passes, for tests to add a body to. */
final class TestStreamTemplate {

    private TestStreamTemplate() {
    }

    /** Declares {@link StreamReconciler#TEMPLATE_ID} with the reconciler's parameters on {@code builder}. */
    static RouteTemplateDefinition declare(RouteBuilder builder) {
        return builder.routeTemplate(StreamReconciler.TEMPLATE_ID)
                .templateParameter(StreamReconciler.PARAM_STREAM_ID)
                .templateParameter(StreamReconciler.PARAM_CAMERA_ID)
                .templateParameter(StreamReconciler.PARAM_CAMERA_STREAM, "");
    }
}
