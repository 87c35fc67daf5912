# Resource group, names, tags and the facts every other file shares.

data "azurerm_client_config" "current" {}

# The region's display name ("West Europe") is the datacenter name Cosmos DB reports to Cassandra drivers.
data "azurerm_location" "this" {
  location = var.location
}

# Suffix of the names that must be globally unique (they become DNS names).
resource "random_string" "suffix" {
  length  = 6
  lower   = true
  upper   = false
  numeric = true
  special = false
}

locals {
  base    = "${var.name_prefix}-${var.environment}"
  compact = "${var.name_prefix}${var.environment}"
  suffix  = random_string.suffix.result

  names = {
    resource_group = coalesce(var.resource_group_name, "rg-${local.base}")
    aks            = "aks-${local.base}"
    aks_identity   = "id-${local.base}-aks"
    aks_egress_ip  = "pip-${local.base}-aks-egress"
    eventhubs      = "evhns-${local.base}-${local.suffix}"
    cosmos         = "cosmos-${local.base}-${local.suffix}"
    postgres       = "psql-${local.base}-${local.suffix}"
    redis          = "redis-${local.base}-${local.suffix}"
    # Registry names are 5 to 50 alphanumerics, globally unique.
    registry = substr(replace("cr${local.compact}${local.suffix}", "/[^a-zA-Z0-9]/", ""), 0, 50)
    # Key Vault names are 3 to 24 characters.
    key_vault = "kv-${substr(local.compact, 0, 14)}-${local.suffix}"
  }

  tags = merge(var.tags, {
    project     = "retail-data-stack"
    environment = var.environment
    managed-by  = "terraform"
  })

  # The four services; each is a Helm-deployed workload with a Kubernetes service account of exactly this name.
  services = ["ingest-service", "event-writer", "batch-enricher", "cache-service"]

  # Who may reach PostgreSQL, Cosmos DB and Redis: the cluster's fixed egress IP plus the operators' ranges.
  aks_egress_cidr     = "${azurerm_public_ip.aks_egress.ip_address}/32"
  allowed_data_ranges = concat([local.aks_egress_cidr], var.allowed_ip_ranges)
}

resource "azurerm_resource_group" "this" {
  name     = local.names.resource_group
  location = var.location
  tags     = local.tags
}
