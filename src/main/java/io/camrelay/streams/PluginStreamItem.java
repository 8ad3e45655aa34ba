package io.camrelay.streams;

import io.camrelay.support.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A stream item stored in XProtect by the RTMP Streamer plugin (kind {@code ABA1B2C3-D4E5-6789-ABCD-EF0123456780},
 * architecture.md §5). {@link #toString()} masks the URL.
 *
 * @param id                  the item's id in XProtect
 * @param name                the item's display name; the stream id is derived from it
 * @param cameraId            property {@code CameraId}
 * @param cameraName          property {@code CameraName}
 * @param rtmpUrl             property {@code RtmpUrl} (holds the stream key)
 * @param enabled             property {@code Enabled} (Yes/No; absent = Yes)
 * @param allowUntrustedCerts property {@code AllowUntrustedCerts} (Yes/No)
 */
public record PluginStreamItem(String id, String name, String cameraId, String cameraName, String rtmpUrl,
                               boolean enabled, boolean allowUntrustedCerts) {

    /** Parses a plugin Yes/No property: absent means {@code absent}, anything but No/false means yes. */
    public static boolean yesNo(String value, boolean absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        return !(v.equals("no") || v.equals("false") || v.equals("0"));
    }

    /**
     * Maps plugin items to definitions (source xprotect): the id is derived from the item name, an item whose URL
     * does not match the plugin's rule {@code ^rtmps?://[^\s"\\]+$} or has no camera becomes a problem; Enabled=No
     * gives a disabled definition. Items whose names give the same id: the first wins, the others are problems.
     */
    public static DefinitionSet toDefinitions(List<PluginStreamItem> items) {
        List<StreamDefinition> valid = new ArrayList<>();
        List<StreamProblem> problems = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (PluginStreamItem item : items) {
            String label = item.name == null || item.name.isBlank() ? item.id : item.name;
            String id = StreamDefinition.deriveId(label);
            String where = "XProtect stream item '" + label + "' (RTMP Streamer plugin, item id " + item.id + ")";
            if (id.isEmpty()) {
                id = StreamDefinition.deriveId("item " + item.id);
            }
            if (id.isEmpty()) {
                continue;
            }
            if (!ids.add(id)) {
                problems.add(new StreamProblem(id + "-" + StreamDefinition.deriveId(String.valueOf(item.id)), label,
                        item.cameraId, StreamSource.XPROTECT, where + ": another item has a name that gives the same"
                        + " stream id '" + id + "': rename one of them in the Management Client"));
                continue;
            }
            String camera = item.cameraId != null && !item.cameraId.isBlank() ? item.cameraId : item.cameraName;
            String url = item.rtmpUrl == null ? "" : item.rtmpUrl.strip();
            if (!Destination.RTMP_URL.matcher(url).matches()) {
                problems.add(new StreamProblem(id, label, camera, StreamSource.XPROTECT, where + ": RtmpUrl '"
                        + Secrets.maskDestination(url) + "' is not an rtmp:// or rtmps:// URL without spaces or quotes: fix it"
                        + " in the Management Client"));
                continue;
            }
            if (camera == null || camera.isBlank()) {
                problems.add(new StreamProblem(id, label, null, StreamSource.XPROTECT, where + " has no camera: choose"
                        + " the camera in the Management Client"));
                continue;
            }
            try {
                valid.add(new StreamDefinition(id, label, camera, null, item.enabled,
                        List.of(new Destination(url, item.allowUntrustedCerts)), StreamSource.XPROTECT));
            } catch (IllegalArgumentException e) {
                problems.add(new StreamProblem(id, label, camera, StreamSource.XPROTECT, where + ": " + e.getMessage()));
            }
        }
        return new DefinitionSet(valid, problems);
    }

    @Override
    public String toString() {
        return "PluginStreamItem[id=" + id + ", name=" + name + ", cameraId=" + cameraId + ", cameraName=" + cameraName
                + ", rtmpUrl=" + Secrets.maskDestination(rtmpUrl) + ", enabled=" + enabled + ", allowUntrustedCerts="
                + allowUntrustedCerts + "]";
    }
}
