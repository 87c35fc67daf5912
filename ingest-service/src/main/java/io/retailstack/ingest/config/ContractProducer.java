package io.retailstack.ingest.config;

import io.retailstack.events.codec.EventCodec;
import io.retailstack.events.validation.EventValidator;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The contract's codec and validator as shared beans (both are immutable and thread-safe). */
public class ContractProducer {

    @Produces
    @Singleton
    EventCodec eventCodec() {
        return new EventCodec();
    }

    /** Default limits and the system UTC clock: the limits are part of the contract every service shares. */
    @Produces
    @Singleton
    EventValidator eventValidator() {
        return new EventValidator();
    }
}
