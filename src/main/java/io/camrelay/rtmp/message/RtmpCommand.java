package io.camrelay.rtmp.message;

import io.camrelay.media.Amf0FormatException;
import io.camrelay.media.Amf0Reader;
import io.camrelay.media.Amf0Writer;
import io.camrelay.rtmp.chunk.RtmpMessage;
import io.camrelay.rtmp.chunk.RtmpMessageTypes;
import io.camrelay.rtmp.chunk.RtmpProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An AMF0 command message (RTMP 1.0 §7.1.1, §7.2): name, transaction id, command object, further arguments.
 *
 * @param name          command name, e.g. {@code connect}, {@code _result}, {@code onStatus}
 * @param transactionId transaction id matching replies to requests
 * @param commandObject the command object (a map) or {@code null}
 * @param arguments     further arguments, unmodifiable (may contain nulls)
 */
public record RtmpCommand(String name, double transactionId, Object commandObject, List<Object> arguments) {

    public RtmpCommand {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("command name must not be empty");
        }
        arguments = java.util.Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    /** A command with the given arguments after the command object. */
    public static RtmpCommand of(String name, double transactionId, Object commandObject, Object... arguments) {
        return new RtmpCommand(name, transactionId, commandObject, Arrays.asList(arguments));
    }

    /** The command as a message on {@code chunkStreamId} / {@code messageStreamId}. */
    public RtmpMessage toMessage(int chunkStreamId, int messageStreamId) {
        Amf0Writer w = new Amf0Writer().writeAll(name, transactionId, commandObject);
        arguments.forEach(w::write);
        return new RtmpMessage(chunkStreamId, RtmpMessageTypes.COMMAND_AMF0, 0, messageStreamId, w.toByteArray());
    }

    /** The first argument if it is an AMF0 object (the info object of {@code onStatus} and {@code _error}). */
    public Map<?, ?> infoObject() {
        for (Object a : arguments) {
            if (a instanceof Map<?, ?> m) {
                return m;
            }
        }
        return commandObject instanceof Map<?, ?> m ? m : Map.of();
    }

    /** A string property of {@link #infoObject()}, or "" when absent. */
    public String info(String key) {
        Object v = infoObject().get(key);
        return v == null ? "" : String.valueOf(v);
    }

    /** Parses a command message payload. */
    public static RtmpCommand decode(byte[] payload) {
        try {
            Amf0Reader r = new Amf0Reader(payload);
            Object name = r.read();
            Object txn = r.hasRemaining() ? r.read() : 0.0;
            Object object = r.hasRemaining() ? r.read() : null;
            if (!(name instanceof String s) || s.isEmpty() || !(txn instanceof Double)) {
                throw new RtmpProtocolException("AMF0 command must start with a name and a transaction id, got "
                        + describe(name) + " and " + describe(txn));
            }
            List<Object> args = new ArrayList<>();
            while (r.hasRemaining()) {
                args.add(r.read());
            }
            return new RtmpCommand(s, (Double) txn, object, args);
        } catch (Amf0FormatException e) {
            throw new RtmpProtocolException("malformed AMF0 command from the server: " + e.getMessage());
        }
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        // Arguments can hold the stream key: print only the name and id.
        return "RtmpCommand[" + name + " txn=" + (long) transactionId + " " + arguments.size() + " args]";
    }
}
