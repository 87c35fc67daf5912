# Azure Cache for Redis: cache-service's hot read cache, standalone mode (cache-service's default), TLS only on 6380.
# Azure Managed Redis (port 10000, cluster policy) works too with CACHE_REDIS_MODE=cluster; see README.md for why
# this configuration uses Azure Cache for Redis.

resource "azurerm_redis_cache" "this" {
  name                = local.names.redis
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  sku_name            = var.redis_sku_name
  family              = var.redis_family
  capacity            = var.redis_capacity
  redis_version       = "6"

  # TLS only: no plaintext port 6379, nothing older than TLS 1.2.
  non_ssl_port_enabled = false
  minimum_tls_version  = "1.2"

  # cache-service authenticates with the access key (in Key Vault as redis-password).
  access_keys_authentication_enabled = true
  public_network_access_enabled      = true

  redis_configuration {
    maxmemory_policy = var.redis_maxmemory_policy
  }

  tags = local.tags
}

# With any firewall rule present, Redis admits only the listed addresses: the cluster's egress IP...
resource "azurerm_redis_firewall_rule" "aks_egress" {
  name                = "aks_egress"
  redis_cache_name    = azurerm_redis_cache.this.name
  resource_group_name = azurerm_resource_group.this.name
  start_ip            = azurerm_public_ip.aks_egress.ip_address
  end_ip              = azurerm_public_ip.aks_egress.ip_address
}

# ... and the operators' ranges.
resource "azurerm_redis_firewall_rule" "allowed" {
  for_each            = toset(var.allowed_ip_ranges)
  name                = "allowed_${replace(replace(each.key, ".", "_"), "/", "_")}"
  redis_cache_name    = azurerm_redis_cache.this.name
  resource_group_name = azurerm_resource_group.this.name
  start_ip            = cidrhost(each.key, 0)
  end_ip              = cidrhost(each.key, -1)
}
