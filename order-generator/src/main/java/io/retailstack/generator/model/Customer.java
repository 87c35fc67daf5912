package io.retailstack.generator.model;

import java.util.List;

/**
 * A synthetic customer. Customers are not reference data: the generator derives them from their
 * number alone, so {@code CUST-000042} is the same person (country, home store, addresses) in every
 * run, whatever the seed.
 *
 * @param id customer id
 * @param country ISO country code of the home store
 * @param homeStoreId the store the customer shops at and collects remote orders from
 * @param ips the client addresses the customer's devices use (never blocklisted)
 */
public record Customer(String id, String country, String homeStoreId, List<String> ips) {

    public Customer {
        ips = List.copyOf(ips);
    }
}
