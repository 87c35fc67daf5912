# Cosmos DB for Apache Cassandra: the event store and current state. Keyspace and tables are exactly the storage
# contract of events-model (retail/cassandra/V001..V003.cql) after all migrations: V002's columns are part of the
# event tables, V003's order_state_by_aggregate is here, and the legacy order_state table (V001 no longer creates it,
# nothing reads or writes it) is not. deploy-checks' CosmosTablesMatchStorageContractTest compares the two.
# The services' cosmos profiles never run the CQL files here (schema.apply=false).
#
# Changing a table's key columns replaces the table, and its data with it: read every plan before applying.

resource "azurerm_cosmosdb_account" "this" {
  name                = local.names.cosmos
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  offer_type          = "Standard"
  kind                = "GlobalDocumentDB"

  capabilities {
    name = "EnableCassandra"
  }

  consistency_policy {
    consistency_level = var.cosmos_consistency_level
  }

  geo_location {
    location          = azurerm_resource_group.this.location
    failover_priority = 0
    zone_redundant    = var.cosmos_zone_redundant
  }

  minimal_tls_version = "Tls12"
  # The Cassandra endpoint authenticates with the account name and key (the key is in Key Vault).
  local_authentication_disabled = false
  public_network_access_enabled = true
  ip_range_filter               = toset(local.allowed_data_ranges)

  tags = local.tags
}

# The services' default keyspace (event-writer, cache-service and batch-enricher all default to "retail").
# No shared throughput: every table has its own (autoscale), as each table is its own container on Cosmos DB.
resource "azurerm_cosmosdb_cassandra_keyspace" "retail" {
  name                = "retail"
  resource_group_name = azurerm_cosmosdb_account.this.resource_group_name
  account_name        = azurerm_cosmosdb_account.this.name
}

# The tables, as data: one entry per table of the contract, created by the one resource below. Columns keep the
# contract's order (a list, not a map, so Terraform never reorders them).
locals {
  cassandra_tables = {
    # Event ids already stored per aggregate: a redelivered event (same id, any offset) is stored once.
    event_ids_by_aggregate = {
      columns = [
        ["aggregate_type", "text"],
        ["aggregate_id", "text"],
        ["event_id", "text"],
        ["seq", "bigint"],
      ]
      partition_key = ["aggregate_type", "aggregate_id"]
      cluster_key   = [{ name = "event_id", order_by = "Asc" }]
    }
    # The event store, one partition per aggregate, gapless seq per aggregate (V001 + V002's applied, ignore_reason).
    events_by_aggregate = {
      columns = [
        ["aggregate_type", "text"],
        ["aggregate_id", "text"],
        ["seq", "bigint"],
        ["event_id", "text"],
        ["event_type", "text"],
        ["event_time", "timestamp"],
        ["recorded_at", "timestamp"],
        ["source_partition", "int"],
        ["source_offset", "bigint"],
        ["flagged", "boolean"],
        ["payload", "text"],
        ["applied", "boolean"],
        ["ignore_reason", "text"],
      ]
      partition_key = ["aggregate_type", "aggregate_id"]
      cluster_key   = [{ name = "seq", order_by = "Asc" }]
    }
    # The same events by recording hour and shard, so batch-enricher reads whole partitions, never token ranges.
    events_by_bucket = {
      columns = [
        ["bucket", "text"],
        ["shard", "int"],
        ["recorded_at", "timestamp"],
        ["event_id", "text"],
        ["aggregate_type", "text"],
        ["aggregate_id", "text"],
        ["seq", "bigint"],
        ["event_type", "text"],
        ["event_time", "timestamp"],
        ["flagged", "boolean"],
        ["payload", "text"],
        ["applied", "boolean"],
        ["ignore_reason", "text"],
      ]
      partition_key = ["bucket", "shard"]
      cluster_key   = [{ name = "recorded_at", order_by = "Asc" }, { name = "event_id", order_by = "Asc" }]
    }
    # Current inventory state: one row per sku@location, clustered by location inside the sku partition.
    inventory_state = {
      columns = [
        ["sku", "text"],
        ["location_id", "text"],
        ["version", "bigint"],
        ["last_seq", "bigint"],
        ["on_hand", "bigint"],
        ["reserved", "bigint"],
        ["available", "bigint"],
        ["state", "text"],
        ["source_partition", "int"],
        ["source_offset", "bigint"],
        ["updated_at", "timestamp"],
      ]
      partition_key = ["sku"]
      cluster_key   = [{ name = "location_id", order_by = "Asc" }]
    }
    # Current order state (V003), keyed like the order's history; one row per partition, no clustering column.
    order_state_by_aggregate = {
      columns = [
        ["aggregate_type", "text"],
        ["aggregate_id", "text"],
        ["version", "bigint"],
        ["last_seq", "bigint"],
        ["status", "text"],
        ["flagged", "boolean"],
        ["state", "text"],
        ["source_partition", "int"],
        ["source_offset", "bigint"],
        ["updated_at", "timestamp"],
      ]
      partition_key = ["aggregate_type", "aggregate_id"]
      cluster_key   = []
    }
  }
}

resource "azurerm_cosmosdb_cassandra_table" "this" {
  for_each = local.cassandra_tables

  name                  = each.key
  cassandra_keyspace_id = azurerm_cosmosdb_cassandra_keyspace.retail.id

  autoscale_settings {
    max_throughput = lookup(var.cosmos_table_max_throughput_overrides, each.key, var.cosmos_table_max_throughput)
  }

  schema {
    dynamic "column" {
      for_each = each.value.columns
      content {
        name = column.value[0]
        type = column.value[1]
      }
    }
    dynamic "partition_key" {
      for_each = each.value.partition_key
      content {
        name = partition_key.value
      }
    }
    dynamic "cluster_key" {
      for_each = each.value.cluster_key
      content {
        name     = cluster_key.value.name
        order_by = cluster_key.value.order_by
      }
    }
  }
}
