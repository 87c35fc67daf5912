# What the Helm release and the operators need. No output carries a secret: passwords, keys and connection strings
# are only in Key Vault (read them with `az keyvault secret show`). An output that ever does must be sensitive.
# terraform/README.md maps each output to the environment variable or chart value it feeds.

## Placement

output "resource_group_name" {
  description = "Resource group holding everything."
  value       = azurerm_resource_group.this.name
}

output "location" {
  description = "Azure region (programmatic name)."
  value       = azurerm_resource_group.this.location
}

output "tenant_id" {
  description = "Entra ID tenant of the Key Vault and the workload identities (SecretProviderClass tenantId)."
  value       = data.azurerm_client_config.current.tenant_id
}

## AKS

output "acr_login_server" {
  description = "Container registry for the images (chart value global.imageRegistry; az acr build -r <name>)."
  value       = azurerm_container_registry.this.login_server
}

output "aks_cluster_name" {
  description = "AKS cluster name (az aks get-credentials --resource-group <rg> --name <this>)."
  value       = azurerm_kubernetes_cluster.this.name
}

output "aks_oidc_issuer_url" {
  description = "The cluster's OIDC issuer, which the federated credentials trust."
  value       = azurerm_kubernetes_cluster.this.oidc_issuer_url
}

output "aks_egress_ip" {
  description = "Fixed public IP of all outbound cluster traffic (for partners' allow-lists)."
  value       = azurerm_public_ip.aks_egress.ip_address
}

output "kubernetes_namespace" {
  description = "Namespace whose service accounts the workload identities trust: install the Helm release there."
  value       = var.kubernetes_namespace
}

output "workload_identity_client_ids" {
  description = "Client id of each service's managed identity: service account annotation azure.workload.identity/client-id and SecretProviderClass clientID."
  value       = { for service, identity in azurerm_user_assigned_identity.service : service => identity.client_id }
}

## Event Hubs (Kafka)

output "eventhubs_namespace_name" {
  description = "Event Hubs namespace."
  value       = azurerm_eventhub_namespace.this.name
}

output "kafka_bootstrap_servers" {
  description = "Kafka endpoint of the namespace (SASL_SSL, PLAIN, user $ConnectionString)."
  value       = local.kafka_bootstrap_servers
}

output "kafka_topics" {
  description = "Event hub (Kafka topic) names by role: raw, events, dlq, state."
  value       = local.kafka_topics
}

output "kafka_consumer_groups" {
  description = "Kafka consumer group of each consuming service (created by the Kafka endpoint on first join), e.g. for KEDA."
  value       = local.kafka_consumer_groups
}

## Cosmos DB for Apache Cassandra

output "cosmos_account_name" {
  description = "Cosmos DB account; also the Cassandra username."
  value       = azurerm_cosmosdb_account.this.name
}

output "cassandra_host" {
  description = "Cassandra endpoint host (event-writer: COSMOS_CASSANDRA_HOST; it adds :10350 itself)."
  value       = "${azurerm_cosmosdb_account.this.name}.cassandra.cosmos.azure.com"
}

output "cassandra_contact_point" {
  description = "Cassandra contact point host:port (TLS on 10350)."
  value       = "${azurerm_cosmosdb_account.this.name}.cassandra.cosmos.azure.com:10350"
}

output "cassandra_local_datacenter" {
  description = "The driver's local datacenter: the account region's display name, e.g. West Europe."
  value       = data.azurerm_location.this.display_name
}

output "cassandra_username" {
  description = "Cassandra username (the account name); the password is the Key Vault secret cosmos-cassandra-password."
  value       = azurerm_cosmosdb_account.this.name
}

output "cassandra_keyspace" {
  description = "Keyspace of the storage contract."
  value       = azurerm_cosmosdb_cassandra_keyspace.retail.name
}

## PostgreSQL

output "postgres_server_fqdn" {
  description = "PostgreSQL Flexible Server host name (port 5432, TLS required)."
  value       = azurerm_postgresql_flexible_server.this.fqdn
}

output "postgres_database_name" {
  description = "Database of the star schema."
  value       = azurerm_postgresql_flexible_server_database.retail.name
}

output "postgres_jdbc_url" {
  description = "JDBC URL for batch-enricher (QUARKUS_DATASOURCE_JDBC_URL), with sslmode=require."
  value       = local.postgres_jdbc_url
}

output "postgres_admin_username" {
  description = "Login batch-enricher uses (QUARKUS_DATASOURCE_USERNAME); the password is the Key Vault secret postgres-password."
  value       = azurerm_postgresql_flexible_server.this.administrator_login
}

## Redis

output "redis_host" {
  description = "Azure Cache for Redis host name."
  value       = azurerm_redis_cache.this.hostname
}

output "redis_ssl_port" {
  description = "The TLS port (6380); the plaintext port is off."
  value       = azurerm_redis_cache.this.ssl_port
}

output "redis_hosts" {
  description = "host:port for cache-service (CACHE_REDIS_HOSTS), TLS."
  value       = "${azurerm_redis_cache.this.hostname}:${azurerm_redis_cache.this.ssl_port}"
}

## Key Vault

output "key_vault_name" {
  description = "Key Vault name (SecretProviderClass keyvaultName)."
  value       = azurerm_key_vault.this.name
}

output "key_vault_uri" {
  description = "Key Vault URI."
  value       = azurerm_key_vault.this.vault_uri
}

output "key_vault_secret_names" {
  description = "Names of the secrets in Key Vault, by logical key; the Helm chart refers to the same names."
  value       = local.key_vault_secret_names
}

output "service_key_vault_secrets" {
  description = "The Key Vault secrets each service reads (and is allowed to read)."
  value = {
    for service, keys in local.service_secret_keys : service => [for key in keys : local.key_vault_secret_names[key]]
  }
}
