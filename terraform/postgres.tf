# Azure Database for PostgreSQL Flexible Server: the star schema for BI. batch-enricher connects as the administrator,
# runs its Flyway migrations (schemas ref, bi, ops, and the NOLOGIN role bi_reader, which needs CREATEROLE: the
# administrator has it) and writes. Analysts get their own login roles IN ROLE bi_reader (batch-enricher/README.md).

locals {
  # The database batch-enricher's JDBC URL names (jdbc:postgresql://<host>:5432/retail).
  postgres_database = "retail"
  postgres_jdbc_url = "jdbc:postgresql://${azurerm_postgresql_flexible_server.this.fqdn}:5432/${local.postgres_database}?sslmode=require"
}

# Generated, never typed in: it exists only in the state and in Key Vault (postgres-password).
resource "random_password" "postgres_admin" {
  length      = 32
  special     = true
  min_lower   = 2
  min_upper   = 2
  min_numeric = 2
  min_special = 2
  # Characters that need no quoting in a shell, a JDBC URL or a .pgpass line.
  override_special = "-_.~!*()"
}

resource "azurerm_postgresql_flexible_server" "this" {
  name                = local.names.postgres
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  version             = var.postgres_version
  sku_name            = var.postgres_sku_name
  storage_mb          = var.postgres_storage_mb
  auto_grow_enabled   = true

  administrator_login    = var.postgres_admin_login
  administrator_password = random_password.postgres_admin.result

  authentication {
    password_auth_enabled         = true
    active_directory_auth_enabled = false
  }

  backup_retention_days         = var.postgres_backup_retention_days
  geo_redundant_backup_enabled  = false
  public_network_access_enabled = true

  dynamic "high_availability" {
    for_each = var.postgres_zone_redundant_ha ? [1] : []
    content {
      mode = "ZoneRedundant"
    }
  }

  tags = local.tags

  lifecycle {
    # Azure picks the zone(s) when none is given; a failover swaps them. Neither is a change to undo.
    ignore_changes = [zone, high_availability[0].standby_availability_zone]
  }
}

resource "azurerm_postgresql_flexible_server_database" "retail" {
  name      = local.postgres_database
  server_id = azurerm_postgresql_flexible_server.this.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

# TLS only (the server default, pinned here so nobody turns it off by hand): clients use sslmode=require.
resource "azurerm_postgresql_flexible_server_configuration" "require_secure_transport" {
  name      = "require_secure_transport"
  server_id = azurerm_postgresql_flexible_server.this.id
  value     = "on"
}

resource "azurerm_postgresql_flexible_server_configuration" "ssl_min_protocol_version" {
  name      = "ssl_min_protocol_version"
  server_id = azurerm_postgresql_flexible_server.this.id
  value     = "TLSv1.2"
}

# The cluster's egress IP.
resource "azurerm_postgresql_flexible_server_firewall_rule" "aks_egress" {
  name             = "aks-egress"
  server_id        = azurerm_postgresql_flexible_server.this.id
  start_ip_address = azurerm_public_ip.aks_egress.ip_address
  end_ip_address   = azurerm_public_ip.aks_egress.ip_address
}

# Operators and BI gateways (allowed_ip_ranges).
resource "azurerm_postgresql_flexible_server_firewall_rule" "allowed" {
  for_each         = toset(var.allowed_ip_ranges)
  name             = "allowed-${replace(replace(each.key, ".", "-"), "/", "_")}"
  server_id        = azurerm_postgresql_flexible_server.this.id
  start_ip_address = cidrhost(each.key, 0)
  end_ip_address   = cidrhost(each.key, -1)
}
