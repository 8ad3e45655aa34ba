package io.camrelay.exports;

import java.util.Locale;

/** The file an export writes (architecture §11). */
public enum ExportFormat {
    /** Progressive MP4, moov first: plays in browsers, VLC, QuickTime while it downloads (docs/mp4.md). */
    MP4("mp4", "video/mp4"),
    /** FLV, as the live file destination writes it. */
    FLV("flv", "video/x-flv");

    private final String extension;
    private final String contentType;

    ExportFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    /** The file name extension, without the dot; also the format's name in the API. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String extension() {
        return extension;
    }

    /** The HTTP Content-Type of the file. */
    public String contentType() {
        return contentType;
    }

    /**
     * The format named {@code value} ({@code mp4} or {@code flv}, any case); null or blank is MP4.
     *
     * @throws ExportRequestException naming the field {@code format}
     */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static ExportFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return MP4;
        }
        for (ExportFormat f : values()) {
            if (f.extension.equals(value.strip().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new ExportRequestException("format", "format '" + value.strip() + "' is not one CamRelay writes "
                + "(expected mp4 or flv)");
    }
}
