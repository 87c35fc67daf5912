package io.retailstack.writer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.retailstack.events.AggregateKey;
import io.retailstack.events.AggregateType;
import io.retailstack.events.CloudEvent;
import io.retailstack.events.fold.InventoryFold;
import io.retailstack.events.fold.InventoryState;
import io.retailstack.events.fold.OrderFold;
import io.retailstack.events.fold.OrderState;
import io.retailstack.events.state.StateCodec;
import io.retailstack.events.state.StateMessage;
import io.retailstack.writer.support.Workload;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateRecordsTest {

    private final StateCodec codec = new StateCodec();

    @Test
    void sameBytesAsTheStateCodecForEveryStateOfAWorkload() {
        Workload w = Workload.generate("state-records", 300, 40, 120, 0.01, 11);
        Map<AggregateKey, Object> states = new HashMap<>();
        int checked = 0;
        for (CloudEvent e : w.events) {
            AggregateKey key = e.aggregateKey();
            Object state = states.computeIfAbsent(
                    key,
                    k -> k.type() == AggregateType.ORDER
                            ? OrderState.initial(k.id())
                            : InventoryState.initial(k.sku(), k.locationId()));
            state = state instanceof OrderState o
                    ? OrderFold.apply(o, e).state()
                    : InventoryFold.apply((InventoryState) state, e).state();
            states.put(key, state);
            StateMessage message =
                    state instanceof OrderState o ? StateMessage.of(o) : StateMessage.of((InventoryState) state);
            assertThat(new String(StateRecords.encode(message, codec.stateJson(message))))
                    .isEqualTo(new String(codec.encode(message)));
            checked++;
        }
        assertThat(checked).isGreaterThan(5_000);
    }
}
