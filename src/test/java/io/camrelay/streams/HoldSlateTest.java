package io.camrelay.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camrelay.media.FlvTag;
import io.camrelay.testing.Tools;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slates made with the README's ffmpeg command, read back as a hold would play them. */
class HoldSlateTest {

    @TempDir
    Path dir;

    /** An "offline" picture and the README's command ("When the camera goes away") that makes a slate of it. */
    static Path makeSlate(Path dir, String name) throws Exception {
        BufferedImage image = new BufferedImage(320, 180, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 30, 60));
        g.fillRect(0, 0, 320, 180);
        g.setColor(Color.WHITE);
        g.drawString("back soon", 130, 95);
        g.dispose();
        Path png = dir.resolve("offline.png");
        ImageIO.write(image, "png", png.toFile());
        Path slate = dir.resolve(name);
        Tools.run(60, "ffmpeg", "-v", "error", "-y", "-loop", "1", "-framerate", "2", "-i", png.toString(), "-t", "2",
                "-vf", "scale=640:360,format=yuv420p", "-c:v", "libx264", "-tune", "stillimage", "-g", "2", "-bf", "0",
                "-f", name.endsWith(".flv") ? "flv" : "h264", slate.toString())
                .requireSuccess("making a slate");
        return slate;
    }

    @Test
    void theReadmeCommandMakesASlateOfTwoPicturesASecondStartingWithAKeyFrame() throws Exception {
        HoldSlate slate = HoldSlate.load(makeSlate(dir, "offline.h264"));
        HoldPictures pictures = slate.pictures();

        assertThat(slate.sequenceHeader().sequenceHeader()).isTrue();
        assertThat(pictures.picture(1).keyFrame()).isTrue();
        assertThat(pictures.offsetMs(1)).isEqualTo(HoldPictures.FREEZE_INTERVAL_MS);
        for (long n = 1; n < 12; n++) {
            assertThat(pictures.offsetMs(n + 1) - pictures.offsetMs(n)).as("picture %d to %d", n, n + 1)
                    .isEqualTo(500);
        }
        // the loop starts over at its key frame
        assertThat(pictures.picture(5).bodyUnsafe()).isEqualTo(pictures.picture(1).bodyUnsafe());
    }

    @Test
    void anFlvSlateIsTimedByItsTags() throws Exception {
        HoldSlate slate = HoldSlate.load(makeSlate(dir, "offline.flv"));
        FlvTag first = slate.pictures().picture(1);
        assertThat(first.keyFrame()).isTrue();
        assertThat(slate.pictures().offsetMs(2) - slate.pictures().offsetMs(1)).isEqualTo(500);
    }

    @Test
    void aFileThatIsNoH264SlateIsRefusedNamingItAndTheFix() throws Exception {
        Path text = Files.writeString(dir.resolve("offline.h264"), "not video");
        assertThatThrownBy(() -> HoldSlate.load(text)).hasMessageContaining(text.toString())
                .hasMessageContaining("no H.264 key frame");
        assertThatThrownBy(() -> HoldSlate.load(dir.resolve("missing.flv"))).hasMessageContaining("cannot be read")
                .hasMessageContaining("ffmpeg");
    }
}
