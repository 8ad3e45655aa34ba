package io.camrelay.vms;

import io.camrelay.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;

import io.camrelay.simulator.PostedAlarm;
import io.camrelay.simulator.PostedEvent;
import io.camrelay.simulator.XProtectSimulator;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Events/Alarms REST against the XProtect simulator on loopback. */
class EventsClientTest extends SimulatedVmsTest {

    private EventsClient start(XProtectSimulator.Builder builder) throws IOException {
        sim = builder.build().start();
        session = newSession();
        return session.events();
    }

    private VmsSession newSession() {
        return new VmsSession(VmsConfiguration.of(sim.baseUrl(), sim.username(), sim.password()));
    }

    @Test
    void streamErrorsTriggerTheUserDefinedEventWhichIsCreatedOnce() throws IOException {
        EventsClient events = start(XProtectSimulator.builder());

        events.reportStreamError(XProtectSimulator.DEMO_CAMERA_ID, "destination refused the key");
        events.reportStreamError(XProtectSimulator.DEMO_CAMERA_ID, "destination refused the key");
        try (VmsSession another = newSession()) {
            another.events().reportStreamError(XProtectSimulator.DEMO_CAMERA_ID, "again");
        }

        assertThat(sim.userDefinedEvents()).containsOnlyKeys(EventsClient.STREAM_ERROR_EVENT);
        String typeId = sim.userDefinedEvents().get(EventsClient.STREAM_ERROR_EVENT);
        assertThat(sim.events()).hasSize(3).extracting(PostedEvent::typeId).containsOnly(typeId);
        assertThat(sim.events()).extracting(PostedEvent::typeName).containsOnly("CamRelay stream error");
        assertThat(sim.alarms()).isEmpty();
    }

    @Test
    void existingEventTypeIsUsedEvenWhenCreationIsNotAllowed() throws IOException {
        EventsClient events = start(XProtectSimulator.builder().userDefinedEventCreation(false)
                .userDefinedEvent(EventsClient.STREAM_ERROR_EVENT));

        events.reportStreamError(XProtectSimulator.DEMO_CAMERA_ID, "x");

        assertThat(sim.events()).hasSize(1);
    }

    @Test
    void withoutPermissionToCreateTheEventTypeAnAlarmIsRaisedOnTheCamera() throws IOException {
        EventsClient events = start(XProtectSimulator.builder().userDefinedEventCreation(false));
        try (LogCapture logs = LogCapture.capture()) {

            events.reportStreamError(XProtectSimulator.DEMO_CAMERA_ID, "camera uses H.265");
            events.reportStreamError(XProtectSimulator.DEMO_CAMERA_ID, "camera uses H.265");

            assertThat(logs.count("WARN", "stream errors are raised as alarms instead")).isEqualTo(1);
        }
        assertThat(sim.events()).isEmpty();
        assertThat(sim.alarms()).hasSize(2);
        PostedAlarm alarm = sim.alarms().get(0);
        assertThat(alarm.name()).isEqualTo("CamRelay stream error");
        assertThat(alarm.message()).isEqualTo("camera uses H.265");
        assertThat(alarm.source()).isEqualTo(XProtectSimulator.DEMO_CAMERA_ID);
    }

    @Test
    void triggeringAnUnknownEventTypeIsAClearApiError() throws IOException {
        EventsClient events = start(XProtectSimulator.builder());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> events.triggerEvent("nope"))
                .isInstanceOf(XProtectApiException.class)
                .hasMessage("XProtect REST POST /api/rest/v1/events answered HTTP 400 (Unknown event type 'nope')");
    }
}
