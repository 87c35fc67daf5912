package io.retailstack.deploy;

import java.util.Set;

/**
 * The secret names terraform/ stores in Key Vault and charts/ reads (from Key Vault, or as the keys of an existing
 * Secret). One list for both sides' tests: a rename on one side alone fails them.
 */
public final class SharedSecrets {

    public static final Set<String> NAMES = Set.of(
            "eventhubs-ingest-connection-string",
            "eventhubs-writer-connection-string",
            "eventhubs-cache-connection-string",
            "cosmos-cassandra-password",
            "postgres-password",
            "redis-password");

    private SharedSecrets() {}
}
