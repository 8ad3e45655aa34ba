package io.camrelay.app;

import io.camrelay.exports.CameraCatalog;
import io.camrelay.exports.RecordedSpan;
import io.camrelay.imageserver.XProtectComponent;
import io.camrelay.vms.CameraSnapshot;
import io.camrelay.vms.RecordedSequence;
import io.camrelay.vms.SequencesUnavailableException;
import io.camrelay.vms.UnknownCameraException;
import io.camrelay.vms.VmsCamera;
import io.camrelay.vms.VmsSession;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exports' {@link CameraCatalog} on the VMS session: cameras from the Configuration API, recorded sequences from
 * the recorder's RecorderCommandService {@code SequencesGet} or, where the recorder does not serve it, the ImageServer
 * {@code alarms} request through the {@code xprotect} component (docs/protocols.md §8), snapshots by JpegGetLive.
 * Without a VMS (file-only mode) it is unavailable.
 */
final class VmsCameraCatalog implements CameraCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(VmsCameraCatalog.class);
    /** How long an alarms listing may take. */
    static final long ALARMS_TIMEOUT_SECONDS = 30;

    private final CamelContext camel;
    private final VmsSession vms;

    /** @param vms the session, or null in file-only mode */
    VmsCameraCatalog(CamelContext camel, VmsSession vms) {
        this.camel = camel;
        this.vms = vms;
    }

    @Override
    public boolean available() {
        return vms != null;
    }

    @Override
    public List<Camera> cameras() {
        return vms.configApi().cameras().stream().map(this::camera).toList();
    }

    @Override
    public Optional<Camera> camera(String idOrName) {
        try {
            return Optional.of(camera(vms.configApi().camera(idOrName)));
        } catch (UnknownCameraException e) {
            return Optional.empty();
        }
    }

    private Camera camera(VmsCamera c) {
        return new Camera(c.id(), c.displayName(), c.enabled(), vms.configApi().recordingServerName(c).orElse(null));
    }

    @Override
    public List<RecordedSpan> sequences(String cameraId, Instant from, Instant to) {
        List<RecordedSequence> found;
        try {
            found = vms.recorderCommands().sequences(cameraId, from, to);
        } catch (SequencesUnavailableException e) {
            LOG.debug("{}; listing with the ImageServer alarms request", e.getMessage());
            found = alarms(cameraId, from, to);
        }
        return found.stream().map(s -> new RecordedSpan(s.begin(), s.end())).toList();
    }

    private List<RecordedSequence> alarms(String cameraId, Instant from, Instant to) {
        XProtectComponent component = camel.getComponent("xprotect", XProtectComponent.class);
        try {
            return component.alarms(vms, cameraId, from.toEpochMilli(), to.toEpochMilli())
                    .get(ALARMS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the recorder of camera " + cameraId + " did not list its recordings "
                    + "within " + ALARMS_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the recordings of camera " + cameraId, e);
        }
    }

    @Override
    public Snapshot snapshot(String cameraId) {
        CameraSnapshot s = vms.configApi().jpegGetLive(cameraId);
        return new Snapshot(s.time(), s.jpeg());
    }
}
