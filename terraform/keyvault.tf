# Key Vault (Azure RBAC authorization) with every secret the services need, under fixed names. The Helm chart's
# SecretProviderClass objects name these secrets; the pods mount them with the Secrets Store CSI driver, each with
# its own workload identity (identity.tf), which may read only the secrets of its own service.

locals {
  # Logical key => secret name in Key Vault. The names are a contract with the Helm chart (and terraform/README.md):
  # change them only together. Output: key_vault_secret_names.
  key_vault_secret_names = {
    eventhubs_ingest_connection_string = "eventhubs-ingest-connection-string"
    eventhubs_writer_connection_string = "eventhubs-writer-connection-string"
    eventhubs_cache_connection_string  = "eventhubs-cache-connection-string"
    cosmos_cassandra_password          = "cosmos-cassandra-password"
    postgres_password                  = "postgres-password"
    redis_password                     = "redis-password"
  }

  # Logical key => value. Kept apart from the names: for_each must not iterate over sensitive values.
  key_vault_secret_values = {
    eventhubs_ingest_connection_string = azurerm_eventhub_namespace_authorization_rule.service["ingest-service"].primary_connection_string
    eventhubs_writer_connection_string = azurerm_eventhub_namespace_authorization_rule.service["event-writer"].primary_connection_string
    eventhubs_cache_connection_string  = azurerm_eventhub_namespace_authorization_rule.service["cache-service"].primary_connection_string
    cosmos_cassandra_password          = azurerm_cosmosdb_account.this.primary_key
    postgres_password                  = random_password.postgres_admin.result
    redis_password                     = azurerm_redis_cache.this.primary_access_key
  }

  # Which secrets each service reads (and may read: identity.tf grants exactly these). Output:
  # service_key_vault_secrets.
  service_secret_keys = {
    "ingest-service" = ["eventhubs_ingest_connection_string"]
    "event-writer"   = ["eventhubs_writer_connection_string", "cosmos_cassandra_password"]
    "batch-enricher" = ["cosmos_cassandra_password", "postgres_password"]
    "cache-service"  = ["eventhubs_cache_connection_string", "cosmos_cassandra_password", "redis_password"]
  }
}

resource "azurerm_key_vault" "this" {
  name                = local.names.key_vault
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  tenant_id           = data.azurerm_client_config.current.tenant_id
  sku_name            = "standard"

  # Azure RBAC, not access policies: access is granted per secret to each service's identity.
  rbac_authorization_enabled = true
  purge_protection_enabled   = var.key_vault_purge_protection_enabled
  soft_delete_retention_days = var.key_vault_soft_delete_retention_days

  # Reachable from the cluster (the CSI driver) and from wherever Terraform runs; every read needs an Entra ID role.
  public_network_access_enabled = true

  tags = local.tags
}

# Whoever runs Terraform writes (and later reads back) the secrets.
resource "azurerm_role_assignment" "terraform_secrets_officer" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = data.azurerm_client_config.current.object_id
}

resource "azurerm_key_vault_secret" "this" {
  for_each     = local.key_vault_secret_names
  name         = each.value
  value        = local.key_vault_secret_values[each.key]
  key_vault_id = azurerm_key_vault.this.id
  content_type = "text/plain"
  tags         = local.tags

  # Role assignments take a while to reach the data plane; a first apply may still see 403 here (apply again).
  depends_on = [azurerm_role_assignment.terraform_secrets_officer]
}
