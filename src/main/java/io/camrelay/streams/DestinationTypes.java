package io.camrelay.streams;

import io.camrelay.support.Secrets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;

/**
 * The destination types CamRelay knows, in one place: the streams file's checks and the stream routes ask it which
 * type a destination is. Bound in the Camel registry as {@value #BEAN_NAME} by the application's wiring. Immutable.
 */
public final class DestinationTypes {

    /** The name under which the application binds its destination types. */
    public static final String BEAN_NAME = "destinationTypes";

    private final List<DestinationType> types;

    /** The given types, asked in this order. */
    public DestinationTypes(List<DestinationType> types) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("at least one destination type is needed");
        }
        this.types = List.copyOf(types);
    }

    /** The types bound in {@code camel} as {@value #BEAN_NAME}; fails naming the fix when there are none. */
    public static DestinationTypes lookup(CamelContext camel) {
        DestinationTypes t = camel.getRegistry().lookupByNameAndType(BEAN_NAME, DestinationTypes.class);
        if (t == null) {
            throw new IllegalStateException("no " + BEAN_NAME + " bean in the Camel registry: stream routes need"
                    + " CamRelay's wiring (io.camrelay.app.ApplicationWiring) or destination types bound under that"
                    + " name");
        }
        return t;
    }

    /** The type of {@code url}, if one accepts it. */
    public Optional<DestinationType> typeOf(String url) {
        for (DestinationType t : types) {
            if (t.accepts(url)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Why {@code url} is not a destination (the URL masked, the accepted forms named), or null when it is one. */
    public String problemWith(String url) {
        if (url == null || url.isBlank()) {
            return "the destination URL is empty: expected " + accepted();
        }
        Optional<DestinationType> type = typeOf(url);
        return type.isPresent() ? type.get().problemWith(url)
                : "'" + Secrets.maskDestination(url) + "' is not " + accepted();
    }

    /** The accepted forms, e.g. "an rtmp://, rtmps:// URL or a .flv file path". */
    public String accepted() {
        List<String> forms = types.stream().map(DestinationType::describe).toList();
        if (forms.size() == 1) {
            return forms.get(0);
        }
        return forms.subList(0, forms.size() - 1).stream().collect(Collectors.joining(", ")) + " or "
                + forms.get(forms.size() - 1);
    }
}
