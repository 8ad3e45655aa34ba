package io.camrelay.vms;

import io.camrelay.simulator.XProtectSimulator;
import org.junit.jupiter.api.AfterEach;

/** Tests against the XProtect simulator on loopback: the simulator and the session under test, closed after each. */
abstract class SimulatedVmsTest {

    XProtectSimulator sim;
    VmsSession session;

    @AfterEach
    void closeSessionThenSimulator() {
        if (session != null) {
            session.close();
        }
        if (sim != null) {
            sim.close();
        }
    }
}
