package io.camrelay.vms;

/**
 * The recorder does not serve the RecorderCommandService's {@code SequencesGet} (HTTP 404 or no such operation):
 * the recordings must be listed another way (the ImageServer {@code alarms} request, docs/protocols.md §8).
 */
public class SequencesUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SequencesUnavailableException(String message) {
        super(message);
    }
}
