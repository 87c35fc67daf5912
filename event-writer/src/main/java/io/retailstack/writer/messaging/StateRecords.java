package io.retailstack.writer.messaging;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.retailstack.events.state.StateCodec;
import io.retailstack.events.state.StateMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a {@code retail.state} message, {@code {"aggregate":"<subject>","version":<n>,"state":<state>}}, built
 * around the state JSON the planner already serialized for the state row, instead of serializing the state a second
 * time through a JSON tree. Byte for byte what {@link StateCodec#encode} writes (checked by {@code StateRecordsTest}).
 */
final class StateRecords {

    private static final byte[] AGGREGATE = "{\"aggregate\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VERSION = "\",\"version\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] STATE = ",\"state\":".getBytes(StandardCharsets.UTF_8);

    private StateRecords() {}

    /**
     * @param message the state published
     * @param stateJson {@code StateCodec#stateJson} of that same message
     */
    static byte[] encode(StateMessage message, String stateJson) {
        byte[] subject =
                JsonStringEncoder.getInstance().quoteAsUTF8(message.aggregate().subject());
        byte[] version = Long.toString(message.version()).getBytes(StandardCharsets.US_ASCII);
        byte[] state = stateJson.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                AGGREGATE.length + subject.length + VERSION.length + version.length + STATE.length + state.length + 1);
        out.writeBytes(AGGREGATE);
        out.writeBytes(subject);
        out.writeBytes(VERSION);
        out.writeBytes(version);
        out.writeBytes(STATE);
        out.writeBytes(state);
        out.write('}');
        return out.toByteArray();
    }
}
