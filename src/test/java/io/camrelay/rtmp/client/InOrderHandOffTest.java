package io.camrelay.rtmp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publisher's hand-off on a real event loop, with a hold timer's thread beside it. */
class InOrderHandOffTest {

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final InOrderHandOff handOff = new InOrderHandOff(loop);
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void workFromTheLoopRunsAfterWorkAnotherThreadHandedOverBefore() throws Exception {
        CountDownLatch timerHandedOver = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> { // the camera's picture is being processed on the loop
            try {
                assertThat(timerHandedOver.await(5, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handOff.run(() -> ran.add("camera picture"));
            handOff.run(done::countDown);
        });
        Thread timer = new Thread(() -> { // meanwhile the hold timer sends a hold picture
            handOff.run(() -> ran.add("hold picture"));
            timerHandedOver.countDown();
        });
        timer.start();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("hold picture", "camera picture");
    }

    @Test
    void workFromTheLoopWithNothingWaitingRunsAtOnce() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            handOff.run(() -> ran.add("at once"));
            ran.add("after the call");
            done.countDown();
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("at once", "after the call");
    }
}
