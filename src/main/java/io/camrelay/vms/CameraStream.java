package io.camrelay.vms;

import java.util.Objects;

/**
 * One stream of a camera ({@code GET /cameras/{id}/streams}, docs/protocols.md §4).
 *
 * @param displayName       e.g. "Video stream 1"
 * @param streamReferenceId the id to send as the ImageServer {@code streamid}
 * @param liveDefault       whether it is the camera's default live stream
 */
public record CameraStream(String displayName, String streamReferenceId, boolean liveDefault) {
    public CameraStream {
        Objects.requireNonNull(streamReferenceId, "streamReferenceId");
        displayName = displayName == null ? "" : displayName;
    }
}
