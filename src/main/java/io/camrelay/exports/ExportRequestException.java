package io.camrelay.exports;

/** A value of an export request (API body, CLI option) is wrong: names the field, the value, what is expected. */
public class ExportRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public ExportRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The field of the request that is wrong: {@code camera}, {@code from}, {@code to} or {@code format}. */
    public String field() {
        return field;
    }
}
