package io.camrelay.vms;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A camera's position as XProtect stores it: the Config REST API's {@code gisPoint}, well-known text with the
 * longitude first, {@code POINT (12.377 55.658)} (docs/protocols.md §4); {@code POINT EMPTY} (or nothing) when no one
 * placed the camera on a map.
 *
 * @param latitude  degrees north
 * @param longitude degrees east
 */
public record GisPoint(double latitude, double longitude) {

    /** {@code POINT (lon lat)}, an optional third number (height) and any spacing. */
    private static final Pattern POINT = Pattern.compile("(?i)^\\s*POINT\\s*(?:Z\\s*)?\\(\\s*([-+0-9.eE]+)\\s+"
            + "([-+0-9.eE]+)(?:\\s+[-+0-9.eE]+)?\\s*\\)\\s*$");
    private static final Pattern EMPTY = Pattern.compile("(?i)^\\s*(POINT\\s+EMPTY)?\\s*$");

    public GisPoint {
        if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("gisPoint latitude " + latitude + ", longitude " + longitude
                    + " is not on earth");
        }
    }

    /**
     * The position in {@code wkt}, or empty for {@code POINT EMPTY}, a blank or a missing value.
     *
     * @throws IllegalArgumentException when it is neither, naming the text and the form
     */
    public static Optional<GisPoint> parse(String wkt) {
        if (wkt == null || EMPTY.matcher(wkt).matches()) {
            return Optional.empty();
        }
        Matcher m = POINT.matcher(wkt);
        if (m.matches()) {
            try {
                return Optional.of(new GisPoint(Double.parseDouble(m.group(2)), Double.parseDouble(m.group(1))));
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("gisPoint '" + wkt + "' is not a position: expected POINT (longitude"
                + " latitude), e.g. POINT (12.377 55.658)");
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "POINT (%s %s)", longitude, latitude);
    }
}
