package io.camrelay.streams;

import java.util.Locale;

/**
 * A place on earth in degrees (WGS 84), where a daylight schedule computes sunrise and sunset: the streams file's
 * {@code schedule.location} ({@code "lat,lon"}) or the camera's position in XProtect.
 *
 * @param latitude  -90 (south) to 90 (north)
 * @param longitude -180 (west) to 180 (east)
 */
public record GeoLocation(double latitude, double longitude) {

    /** What a location looks like, for error messages. */
    public static final String EXPECTED = "\"latitude,longitude\" in degrees, e.g. \"55.658,12.377\"";

    public GeoLocation {
        if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("latitude " + latitude + ", longitude " + longitude + " is not on earth:"
                    + " expected a latitude from -90 to 90 and a longitude from -180 to 180");
        }
    }

    /**
     * Parses {@code "lat,lon"}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static GeoLocation parse(String text) {
        String t = text == null ? "" : text.strip();
        String[] parts = t.split("\\s*,\\s*");
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + t + "' is not a location: expected " + EXPECTED);
        }
        try {
            return new GeoLocation(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is not a location: expected " + EXPECTED, e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.3f,%.3f", latitude, longitude);
    }
}
