package io.camrelay.streams;

import io.camrelay.support.MediaHeaders;
import io.camrelay.media.GenericByteData;
import java.util.Arrays;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * First step of a stream route (docs/design.md §3): takes a GenericByteData packet ({@code byte[]}) and leaves the
 * Annex B picture as the body, with the header fields as message headers: {@link MediaHeaders#CODEC},
 * {@link MediaHeaders#CODEC_ID}, {@link MediaHeaders#KEY_FRAME}, {@link MediaHeaders#PICTURE_TIME},
 * {@link MediaHeaders#SYNC_TIME} and {@link MediaHeaders#SEQUENCE}. A multi-packet wrapper (0xFEF0) is walked for
 * its video stream packet (docs/protocols.md §2.1). Stateless and thread-safe.
 *
 * @throws io.camrelay.media.NotVideoPacketException  (from {@code process}) for a packet of another data type:
 *                                                    the route skips it ({@link SkippedPictures})
 * @throws io.camrelay.media.GenericByteDataException (from {@code process}) when the packet is malformed
 */
public final class StripHeaderProcessor implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        byte[] packet = GenericByteData.videoPacketIn(message.getMandatoryBody(byte[].class));
        GenericByteData header = GenericByteData.parse(packet);
        message.setBody(Arrays.copyOfRange(packet, GenericByteData.HEADER_LENGTH, header.totalLength()));
        message.setHeader(MediaHeaders.CODEC, header.codec());
        message.setHeader(MediaHeaders.CODEC_ID, header.codecId());
        message.setHeader(MediaHeaders.KEY_FRAME, header.keyFrame());
        message.setHeader(MediaHeaders.PICTURE_TIME, header.pictureTimestamp());
        message.setHeader(MediaHeaders.SYNC_TIME, header.syncTimestamp());
        message.setHeader(MediaHeaders.SEQUENCE, header.sequence());
    }
}
