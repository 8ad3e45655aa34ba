package io.camrelay.app;

import io.camrelay.streams.DefinitionSet;
import io.camrelay.streams.Destination;
import io.camrelay.streams.StreamDefinition;
import io.camrelay.streams.StreamProblem;
import io.camrelay.streams.StreamSource;
import io.camrelay.support.Secrets;
import io.camrelay.vms.RtmpStreamerItem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The stream items the RTMP Streamer plugin stores in XProtect (docs/protocols.md "RTMP Streamer items"), as stream
 * definitions of source {@code xprotect}.
 */
final class PluginStreamItems {

    private PluginStreamItems() {
    }

    /**
     * Maps plugin items to definitions: the id is derived from the item name, an item whose URL does not match the
     * plugin's rule {@code ^rtmps?://[^\s"\\]+$} or has no camera becomes a problem; Enabled=No gives a disabled
     * definition. Items whose names give the same id: the first wins, the others are problems.
     */
    static DefinitionSet toDefinitions(List<RtmpStreamerItem> items) {
        List<StreamDefinition> valid = new ArrayList<>();
        List<StreamProblem> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (RtmpStreamerItem item : items) {
            String label = item.name().isBlank() ? item.id() : item.name();
            String id = StreamDefinition.deriveId(label);
            String where = "XProtect stream item '" + label + "' (RTMP Streamer plugin, item id " + item.id() + ")";
            if (id.isEmpty()) {
                id = StreamDefinition.deriveId("item " + item.id());
            }
            if (id.isEmpty()) {
                continue;
            }
            if (!ids.add(id)) {
                problems.add(new StreamProblem(id + "-" + StreamDefinition.deriveId(item.id()), label,
                        item.cameraId(), StreamSource.XPROTECT, where + ": another item has a name that gives the same"
                        + " stream id '" + id + "': rename one of them in the Management Client"));
                continue;
            }
            String camera = !item.cameraId().isBlank() ? item.cameraId() : item.cameraName();
            String url = item.rtmpUrl().strip();
            if (!RtmpDestinationType.PLUGIN_URL_RULE.matcher(url).matches()) {
                problems.add(new StreamProblem(id, label, camera, StreamSource.XPROTECT, where + ": RtmpUrl '"
                        + Secrets.maskDestination(url) + "' is not an rtmp:// or rtmps:// URL without spaces or quotes:"
                        + " fix it in the Management Client"));
                continue;
            }
            if (camera.isBlank()) {
                problems.add(new StreamProblem(id, label, null, StreamSource.XPROTECT, where + " has no camera: choose"
                        + " the camera in the Management Client"));
                continue;
            }
            try {
                valid.add(new StreamDefinition(id, label, camera, null, item.enabled(),
                        List.of(new Destination(url, item.allowUntrustedCerts())), StreamSource.XPROTECT));
            } catch (IllegalArgumentException e) {
                problems.add(new StreamProblem(id, label, camera, StreamSource.XPROTECT, where + ": " + e.getMessage()));
            }
        }
        return new DefinitionSet(valid, problems);
    }
}
