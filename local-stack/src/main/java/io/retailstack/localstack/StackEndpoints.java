package io.retailstack.localstack;

/**
 * Where the running engines listen. All engines bind 127.0.0.1.
 *
 * @param kafkaBootstrapServers e.g. {@code 127.0.0.1:21234}
 * @param cassandraHost native-protocol host
 * @param cassandraPort native-protocol (CQL) port
 * @param cassandraLocalDatacenter datacenter name the driver must use as local ({@code datacenter1})
 * @param postgresHost PostgreSQL host
 * @param postgresPort PostgreSQL port
 * @param postgresDatabase application database ({@code retail})
 * @param postgresUser application user ({@code retail}, owner of the database)
 * @param postgresPassword generated password of {@code retail} (also the password of superuser {@code postgres})
 * @param redisHost Redis host
 * @param redisPort Redis port
 */
public record StackEndpoints(
        String kafkaBootstrapServers,
        String cassandraHost,
        int cassandraPort,
        String cassandraLocalDatacenter,
        String postgresHost,
        int postgresPort,
        String postgresDatabase,
        String postgresUser,
        String postgresPassword,
        String redisHost,
        int redisPort) {

    /** {@code host:port} of the CQL native port, the format of {@code quarkus.cassandra.contact-points}. */
    public String cassandraContactPoint() {
        return cassandraHost + ":" + cassandraPort;
    }

    public String postgresJdbcUrl() {
        return "jdbc:postgresql://" + postgresHost + ":" + postgresPort + "/" + postgresDatabase;
    }

    /** {@code postgresql://host:port/db}, the format of reactive clients ({@code quarkus.datasource.reactive.url}). */
    public String postgresReactiveUrl() {
        return "postgresql://" + postgresHost + ":" + postgresPort + "/" + postgresDatabase;
    }

    /** {@code redis://host:port}, the format of {@code quarkus.redis.hosts}. */
    public String redisUrl() {
        return "redis://" + redisHost + ":" + redisPort;
    }

    /** Same endpoints with the password masked, for logs. */
    @Override
    public String toString() {
        return "StackEndpoints[kafka=" + kafkaBootstrapServers + ", cassandra=" + cassandraContactPoint() + " (dc "
                + cassandraLocalDatacenter + "), postgres=" + postgresJdbcUrl() + " user " + postgresUser
                + ", redis=" + redisUrl() + "]";
    }

    /** Multi-line human-readable listing (password included: it is a local, throw-away credential). */
    public String describe() {
        return String.join(
                System.lineSeparator(),
                "  kafka      bootstrap.servers=" + kafkaBootstrapServers,
                "  cassandra  contact-point=" + cassandraContactPoint() + "  local-datacenter="
                        + cassandraLocalDatacenter,
                "  postgres   " + postgresJdbcUrl() + "  user=" + postgresUser + "  password=" + postgresPassword,
                "  redis      " + redisUrl());
    }
}
