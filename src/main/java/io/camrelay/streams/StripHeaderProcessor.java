package io.camrelay.streams;

import io.camrelay.imageserver.XProtectConstants;
import io.camrelay.media.GenericByteData;
import java.util.Arrays;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * First step of a stream route (architecture.md §3): takes a GenericByteData packet ({@code byte[]}) and leaves the
 * Annex B picture as the body, with the header fields as message headers: {@link XProtectConstants#CODEC},
 * {@link XProtectConstants#CODEC_ID}, {@link XProtectConstants#KEY_FRAME}, {@link XProtectConstants#PICTURE_TIME},
 * {@link XProtectConstants#SYNC_TIME} and {@link XProtectConstants#SEQUENCE}. Stateless and thread-safe.
 *
 * @throws io.camrelay.media.GenericByteDataException (from {@code process}) when the packet is malformed
 */
public final class StripHeaderProcessor implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        byte[] packet = message.getMandatoryBody(byte[].class);
        GenericByteData header = GenericByteData.parse(packet);
        message.setBody(Arrays.copyOfRange(packet, GenericByteData.HEADER_LENGTH, header.totalLength()));
        message.setHeader(XProtectConstants.CODEC, header.codec());
        message.setHeader(XProtectConstants.CODEC_ID, header.codecId());
        message.setHeader(XProtectConstants.KEY_FRAME, header.keyFrame());
        message.setHeader(XProtectConstants.PICTURE_TIME, header.pictureTimestamp());
        message.setHeader(XProtectConstants.SYNC_TIME, header.syncTimestamp());
        message.setHeader(XProtectConstants.SEQUENCE, header.sequence());
    }
}
