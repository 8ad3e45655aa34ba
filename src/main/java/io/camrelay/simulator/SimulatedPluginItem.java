package io.camrelay.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A MIP plugin item the simulated VMS serves under {@code /mipKinds/{kind}/mipItems}: its id, name and string
 * properties as top-level keys (docs/protocols.md §4, §6). A property left out is absent on the wire
 * (so {@code Enabled} absent means Yes to the reader).
 *
 * @param id         item id
 * @param name       item name
 * @param properties plugin properties, e.g. CameraId, CameraName, RtmpUrl, Enabled, AllowUntrustedCerts
 */
public record SimulatedPluginItem(String id, String name, Map<String, String> properties) {
    public SimulatedPluginItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        properties = Map.copyOf(properties);
    }

    /** An RTMP Streamer item as the plugin stores it, without an {@code Enabled} property (= Yes). */
    public static SimulatedPluginItem rtmpStreamer(String name, String cameraId, String cameraName, String rtmpUrl) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("CameraId", cameraId);
        p.put("CameraName", cameraName);
        p.put("RtmpUrl", rtmpUrl);
        p.put("AllowUntrustedCerts", "No");
        return new SimulatedPluginItem(UUID.nameUUIDFromBytes(("item:" + name).getBytes()).toString(), name, p);
    }

    /** This item with property {@code key} set to {@code value} (null removes it). */
    public SimulatedPluginItem with(String key, String value) {
        Map<String, String> p = new LinkedHashMap<>(properties);
        if (value == null) {
            p.remove(key);
        } else {
            p.put(key, value);
        }
        return new SimulatedPluginItem(id, name, p);
    }

    @Override
    public String toString() {
        return "SimulatedPluginItem[id=" + id + ", name=" + name + ", properties=" + properties.keySet() + "]";
    }
}
