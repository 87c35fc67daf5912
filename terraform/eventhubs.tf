# Event Hubs namespace with its Kafka endpoint (<namespace>.servicebus.windows.net:9093, SASL_SSL PLAIN) and one
# event hub per Kafka topic the services use. The services never create topics there (their eventhubs profiles
# switch topic creation off): these four are all there is.

locals {
  eventhubs_auto_inflate = var.eventhubs_sku == "Standard" && var.eventhubs_auto_inflate_max_throughput_units > 0

  kafka_bootstrap_servers = "${azurerm_eventhub_namespace.this.name}.servicebus.windows.net:9093"

  kafka_topics = {
    raw    = azurerm_eventhub.raw.name
    events = azurerm_eventhub.events.name
    dlq    = azurerm_eventhub.dlq.name
    state  = azurerm_eventhub.state.name
  }

  # The Kafka consumer groups of the services (their configured defaults). They are not Terraform resources: the
  # Kafka endpoint creates a Kafka consumer group when a client first joins it, and Event Hubs consumer groups
  # (azurerm_eventhub_consumer_group) are a different thing, used by AMQP clients only. Listed for KEDA scalers
  # and lag dashboards, which need the group and topic names.
  kafka_consumer_groups = {
    "ingest-service" = "ingest-service" # reads retail.events.raw
    "event-writer"   = "event-writer"   # reads retail.events
    "cache-service"  = "cache-service"  # reads retail.state
  }
}

resource "azurerm_eventhub_namespace" "this" {
  name                = local.names.eventhubs
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  sku                 = var.eventhubs_sku
  capacity            = var.eventhubs_capacity

  auto_inflate_enabled     = local.eventhubs_auto_inflate
  maximum_throughput_units = local.eventhubs_auto_inflate ? var.eventhubs_auto_inflate_max_throughput_units : null

  minimum_tls_version = "1.2"
  # SAS keys are how the services authenticate (SASL PLAIN with the connection string).
  local_authentication_enabled = true
  # POS systems and partners produce to retail.events.raw from outside Azure; every client needs a SAS key.
  public_network_access_enabled = true

  tags = local.tags
}

# Raw events from Kafka producers (POS, partners, the generator), not yet validated. ingest-service reads it.
resource "azurerm_eventhub" "raw" {
  name              = "retail.events.raw"
  namespace_id      = azurerm_eventhub_namespace.this.id
  partition_count   = var.eventhubs_partition_count
  message_retention = var.eventhubs_message_retention_days

  lifecycle {
    precondition {
      condition     = var.eventhubs_sku == "Premium" || var.eventhubs_message_retention_days <= 7
      error_message = "The Standard tier keeps records for at most 7 days (eventhubs_message_retention_days)."
    }
  }
}

# Validated events keyed by aggregate: ingest-service writes, event-writer reads.
resource "azurerm_eventhub" "events" {
  name              = "retail.events"
  namespace_id      = azurerm_eventhub_namespace.this.id
  partition_count   = var.eventhubs_partition_count
  message_retention = var.eventhubs_message_retention_days
}

# Records that can never be applied, unchanged, with the reason in headers: ingest-service and event-writer write.
resource "azurerm_eventhub" "dlq" {
  name              = "retail.events.dlq"
  namespace_id      = azurerm_eventhub_namespace.this.id
  partition_count   = var.eventhubs_partition_count
  message_retention = var.eventhubs_message_retention_days
}

# Each new state keyed by aggregate: event-writer writes, cache-service reads.
resource "azurerm_eventhub" "state" {
  name              = "retail.state"
  namespace_id      = azurerm_eventhub_namespace.this.id
  partition_count   = var.eventhubs_partition_count
  message_retention = var.eventhubs_message_retention_days
}

# One shared access policy per service, with only the rights it uses. A Kafka client authenticates with one
# connection string for all its topics, so the policies are namespace-wide; narrowing them to single hubs needs
# Entra ID (OAUTHBEARER) instead of SAS keys. No policy has Manage: nobody creates topics at run time.

locals {
  # Service => the rights its policy grants.
  eventhubs_policies = {
    # Listens on retail.events.raw, sends to retail.events and retail.events.dlq.
    "ingest-service" = { listen = true, send = true }
    # Listens on retail.events, sends to retail.state and retail.events.dlq.
    "event-writer" = { listen = true, send = true }
    # Only listens, on retail.state.
    "cache-service" = { listen = true, send = false }
  }
}

resource "azurerm_eventhub_namespace_authorization_rule" "service" {
  for_each            = local.eventhubs_policies
  name                = each.key
  namespace_name      = azurerm_eventhub_namespace.this.name
  resource_group_name = azurerm_resource_group.this.name
  listen              = each.value.listen
  send                = each.value.send
  manage              = false
}
