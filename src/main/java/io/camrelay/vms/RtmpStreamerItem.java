package io.camrelay.vms;

import io.camrelay.support.Secrets;

/**
 * A stream definition stored in XProtect by the RTMP Streamer plugin (kind
 * {@value ConfigRestClient#RTMP_STREAMER_KIND}, docs/protocols.md §6, docs/design.md §5).
 * {@link #toString()} masks the stream key in {@code rtmpUrl}.
 *
 * @param id                  item id, "" when missing
 * @param name                item name (the stream's name)
 * @param cameraId            {@code CameraId}, "" when missing
 * @param cameraName          {@code CameraName}, "" when missing
 * @param rtmpUrl             {@code RtmpUrl}: a secret (holds the stream key), "" when missing
 * @param enabled             {@code Enabled}: Yes/No, absent = Yes
 * @param allowUntrustedCerts {@code AllowUntrustedCerts}: Yes/No, absent = No
 */
public record RtmpStreamerItem(String id, String name, String cameraId, String cameraName, String rtmpUrl,
                               boolean enabled, boolean allowUntrustedCerts) {
    public RtmpStreamerItem {
        id = id == null ? "" : id;
        name = name == null ? "" : name;
        cameraId = cameraId == null ? "" : cameraId;
        cameraName = cameraName == null ? "" : cameraName;
        rtmpUrl = rtmpUrl == null ? "" : rtmpUrl;
    }

    @Override
    public String toString() {
        return "RtmpStreamerItem[id=" + id + ", name=" + name + ", cameraId=" + cameraId + ", cameraName="
                + cameraName + ", rtmpUrl=" + Secrets.maskDestination(rtmpUrl) + ", enabled=" + enabled
                + ", allowUntrustedCerts=" + allowUntrustedCerts + "]";
    }
}
