# Inputs. Nothing here is secret: every credential is generated (random_password) or read from the Azure resource
# that issues it, and goes to Key Vault. A variable that ever carries a secret must be `sensitive = true` and have no
# default (deploy-checks' TerraformHygieneTest enforces both).

## Subscription, naming, placement

variable "subscription_id" {
  description = "Azure subscription to deploy into. null: the provider reads ARM_SUBSCRIPTION_ID."
  type        = string
  default     = null
}

variable "location" {
  description = "Azure region of every resource, e.g. westeurope. Its display name (West Europe) is the Cassandra driver's local datacenter."
  type        = string
  default     = "westeurope"
}

variable "name_prefix" {
  description = "First part of every resource name: lower-case letters and digits, starting with a letter, at most 10 characters."
  type        = string
  default     = "retail"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.name_prefix))
    error_message = "name_prefix: 2 to 10 lower-case letters or digits, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name in resource names and tags (dev, test, prod, ...): lower-case letters and digits, at most 6 characters."
  type        = string
  default     = "dev"

  validation {
    condition     = can(regex("^[a-z0-9]{1,6}$", var.environment))
    error_message = "environment: 1 to 6 lower-case letters or digits."
  }
}

variable "resource_group_name" {
  description = "Name of the resource group to create. null: rg-<name_prefix>-<environment>."
  type        = string
  default     = null
}

variable "tags" {
  description = "Extra tags on every resource (project, environment and managed-by are always set)."
  type        = map(string)
  default     = {}
}

variable "allowed_ip_ranges" {
  description = "CIDR ranges besides the cluster's egress IP that may reach PostgreSQL, Cosmos DB and Redis (operators, BI gateways). Empty: the cluster only."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.allowed_ip_ranges : can(cidrhost(cidr, 0))])
    error_message = "allowed_ip_ranges: every entry must be an IPv4 CIDR range such as 203.0.113.0/24 or 198.51.100.7/32."
  }
}

## Kubernetes (AKS)

variable "kubernetes_namespace" {
  description = "Namespace the Helm release is installed into; the workload identities trust the service accounts of this namespace only."
  type        = string
  default     = "retail"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.kubernetes_namespace))
    error_message = "kubernetes_namespace must be a DNS label (lower-case letters, digits, '-')."
  }
}

variable "kubernetes_version" {
  description = "AKS Kubernetes version (e.g. 1.33). null: the region's default version; patch upgrades are automatic."
  type        = string
  default     = null
}

variable "aks_sku_tier" {
  description = "AKS control plane tier: Free (no SLA) or Standard (uptime SLA, recommended for production)."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Free", "Standard", "Premium"], var.aks_sku_tier)
    error_message = "aks_sku_tier must be Free, Standard or Premium."
  }
}

variable "aks_system_node_vm_size" {
  description = "VM size of the system node pool, which also runs the four services."
  type        = string
  default     = "Standard_D4ds_v5"
}

variable "aks_system_node_min_count" {
  description = "Fewest nodes of the system pool (cluster autoscaler)."
  type        = number
  default     = 2

  validation {
    condition     = var.aks_system_node_min_count >= 1
    error_message = "aks_system_node_min_count must be at least 1."
  }
}

variable "aks_system_node_max_count" {
  description = "Most nodes of the system pool (cluster autoscaler); must not be below aks_system_node_min_count."
  type        = number
  default     = 5

  validation {
    condition     = var.aks_system_node_max_count >= 1 && var.aks_system_node_max_count <= 1000
    error_message = "aks_system_node_max_count must be between 1 and 1000."
  }
}

variable "aks_system_node_os_disk_size_gb" {
  description = "OS disk size of each node, in GB."
  type        = number
  default     = 128
}

variable "aks_availability_zones" {
  description = "Availability zones of the node pool, e.g. [\"1\", \"2\", \"3\"]. Empty: no zone pinning (for regions without zones)."
  type        = list(string)
  default     = []
}

## Event Hubs (Kafka endpoint)

variable "eventhubs_sku" {
  description = "Event Hubs namespace tier: Standard or Premium (Basic has no Kafka endpoint)."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Standard", "Premium"], var.eventhubs_sku)
    error_message = "eventhubs_sku must be Standard or Premium: the Basic tier has no Kafka endpoint."
  }
}

variable "eventhubs_capacity" {
  description = "Throughput units (Standard) or processing units (Premium) of the namespace."
  type        = number
  default     = 2

  validation {
    condition     = var.eventhubs_capacity >= 1 && var.eventhubs_capacity <= 40
    error_message = "eventhubs_capacity must be between 1 and 40."
  }
}

variable "eventhubs_auto_inflate_max_throughput_units" {
  description = "Standard tier only: auto-inflate up to this many throughput units; 0 turns auto-inflate off."
  type        = number
  default     = 10

  validation {
    condition     = var.eventhubs_auto_inflate_max_throughput_units >= 0 && var.eventhubs_auto_inflate_max_throughput_units <= 40
    error_message = "eventhubs_auto_inflate_max_throughput_units must be between 0 and 40."
  }
}

variable "eventhubs_partition_count" {
  description = "Partitions of each event hub (Kafka topic). Bounds the parallel consumers per group; cannot be changed later on the Standard tier."
  type        = number
  default     = 8

  validation {
    condition     = var.eventhubs_partition_count >= 1 && var.eventhubs_partition_count <= 32
    error_message = "eventhubs_partition_count must be between 1 and 32 (shared namespaces)."
  }
}

variable "eventhubs_message_retention_days" {
  description = "Days an event hub keeps records (Standard: at most 7; Premium: up to 90)."
  type        = number
  default     = 7

  validation {
    condition     = var.eventhubs_message_retention_days >= 1 && var.eventhubs_message_retention_days <= 90
    error_message = "eventhubs_message_retention_days must be between 1 and 90 (7 on the Standard tier)."
  }
}

## Cosmos DB for Apache Cassandra

variable "cosmos_consistency_level" {
  description = "Default consistency of the account, which Cassandra writes use. The services read with LOCAL_QUORUM, which Cosmos DB serves as strong reads in the local region."
  type        = string
  default     = "Session"

  validation {
    condition     = contains(["Strong", "BoundedStaleness", "Session", "ConsistentPrefix", "Eventual"], var.cosmos_consistency_level)
    error_message = "cosmos_consistency_level must be Strong, BoundedStaleness, Session, ConsistentPrefix or Eventual."
  }
}

variable "cosmos_zone_redundant" {
  description = "Spread the account's replicas over availability zones (where the region has them)."
  type        = bool
  default     = false
}

variable "cosmos_table_max_throughput" {
  description = "Autoscale maximum RU/s of each table (dedicated throughput; scales between 10% and 100% of it). Multiple of 1000."
  type        = number
  default     = 4000

  validation {
    condition     = var.cosmos_table_max_throughput >= 1000 && var.cosmos_table_max_throughput <= 1000000 && var.cosmos_table_max_throughput % 1000 == 0
    error_message = "cosmos_table_max_throughput must be a multiple of 1000 between 1000 and 1000000."
  }
}

variable "cosmos_table_max_throughput_overrides" {
  description = "Per-table autoscale maximum RU/s, by table name (e.g. { events_by_aggregate = 10000 }); tables not listed use cosmos_table_max_throughput."
  type        = map(number)
  default     = {}

  validation {
    condition = alltrue([
      for table, ru in var.cosmos_table_max_throughput_overrides :
      contains(["events_by_aggregate", "event_ids_by_aggregate", "events_by_bucket", "inventory_state", "order_state_by_aggregate"], table)
      && ru >= 1000 && ru <= 1000000 && ru % 1000 == 0
    ])
    error_message = "cosmos_table_max_throughput_overrides: keys must be table names of the retail keyspace, values multiples of 1000 between 1000 and 1000000."
  }
}

## PostgreSQL Flexible Server

variable "postgres_version" {
  description = "PostgreSQL major version: 16 or 17 (the local stack runs 17)."
  type        = string
  default     = "17"

  validation {
    condition     = contains(["16", "17"], var.postgres_version)
    error_message = "postgres_version must be \"16\" or \"17\"."
  }
}

variable "postgres_sku_name" {
  description = "Compute of the server, <tier>_<size>, e.g. B_Standard_B2s (burstable, dev), GP_Standard_D2ds_v5 (general purpose)."
  type        = string
  default     = "GP_Standard_D2ds_v5"
}

variable "postgres_storage_mb" {
  description = "Storage size in MB (it grows automatically from there)."
  type        = number
  default     = 65536
}

variable "postgres_backup_retention_days" {
  description = "Days of point-in-time restore (7 to 35)."
  type        = number
  default     = 7

  validation {
    condition     = var.postgres_backup_retention_days >= 7 && var.postgres_backup_retention_days <= 35
    error_message = "postgres_backup_retention_days must be between 7 and 35."
  }
}

variable "postgres_zone_redundant_ha" {
  description = "Run a zone-redundant standby (needs a General Purpose or Memory Optimized SKU and a region with zones)."
  type        = bool
  default     = false
}

variable "postgres_admin_login" {
  description = "Administrator login of the server; batch-enricher migrates and writes as this user (its password is generated and kept in Key Vault)."
  type        = string
  default     = "retailadmin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.postgres_admin_login)) && !contains(["admin", "administrator", "root", "guest", "public", "azure_superuser", "azure_pg_admin"], var.postgres_admin_login)
    error_message = "postgres_admin_login: lower-case letters, digits and '_', not a reserved name (admin, root, ...)."
  }
}

## Azure Cache for Redis

variable "redis_sku_name" {
  description = "Azure Cache for Redis tier: Basic (no SLA, dev only), Standard (replicated) or Premium."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Basic", "Standard", "Premium"], var.redis_sku_name)
    error_message = "redis_sku_name must be Basic, Standard or Premium."
  }
}

variable "redis_family" {
  description = "C for Basic/Standard, P for Premium."
  type        = string
  default     = "C"

  validation {
    condition     = contains(["C", "P"], var.redis_family)
    error_message = "redis_family must be C (Basic/Standard) or P (Premium)."
  }
}

variable "redis_capacity" {
  description = "Cache size within the family: C 0-6, P 1-5."
  type        = number
  default     = 1
}

variable "redis_maxmemory_policy" {
  description = "Eviction policy when the cache is full; the cache can always be refilled from Cassandra, so any key may go."
  type        = string
  default     = "allkeys-lru"
}

## Key Vault

variable "key_vault_purge_protection_enabled" {
  description = "Purge protection: a deleted vault or secret cannot be purged before its retention ends. Cannot be turned off once on."
  type        = bool
  default     = true
}

variable "key_vault_soft_delete_retention_days" {
  description = "Days a deleted vault or secret stays recoverable (7 to 90)."
  type        = number
  default     = 7

  validation {
    condition     = var.key_vault_soft_delete_retention_days >= 7 && var.key_vault_soft_delete_retention_days <= 90
    error_message = "key_vault_soft_delete_retention_days must be between 7 and 90."
  }
}

variable "registry_sku" {
  description = "Azure Container Registry tier: Basic, Standard or Premium (Premium for private endpoints and geo-replication)."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Basic", "Standard", "Premium"], var.registry_sku)
    error_message = "registry_sku must be Basic, Standard or Premium."
  }
}
