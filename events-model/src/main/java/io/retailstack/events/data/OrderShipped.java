package io.retailstack.events.data;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * The order left its location.
 *
 * @param carrier the carrier, optional (absent for store pick-up or internal transport)
 * @param trackingId the carrier's tracking id, optional
 */
public record OrderShipped(
        @JsonSetter(nulls = Nulls.SET) String carrier, @JsonSetter(nulls = Nulls.SET) String trackingId)
        implements OrderData {}
