# Workload identity: one user-assigned managed identity per service, trusted for exactly one Kubernetes service
# account (system:serviceaccount:<kubernetes_namespace>:<service>) through the cluster's OIDC issuer, and allowed to
# read only its own service's Key Vault secrets. The chart annotates each service account with the identity's client
# id (azure.workload.identity/client-id) and uses it as the clientID of the service's SecretProviderClass.

locals {
  # "<service>/<secret key>" => which identity reads which secret.
  service_secret_grants = merge([
    for service, keys in local.service_secret_keys : {
      for key in keys : "${service}/${key}" => { service = service, secret = key }
    }
  ]...)
}

resource "azurerm_user_assigned_identity" "service" {
  for_each            = toset(local.services)
  name                = "id-${local.base}-${each.key}"
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  tags                = local.tags
}

resource "azurerm_federated_identity_credential" "service" {
  for_each            = toset(local.services)
  name                = "aks-${var.kubernetes_namespace}-${each.key}"
  resource_group_name = azurerm_resource_group.this.name
  parent_id           = azurerm_user_assigned_identity.service[each.key].id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = azurerm_kubernetes_cluster.this.oidc_issuer_url
  subject             = "system:serviceaccount:${var.kubernetes_namespace}:${each.key}"
}

# Key Vault Secrets User on each secret the service needs, not on the whole vault.
resource "azurerm_role_assignment" "service_secrets" {
  for_each             = local.service_secret_grants
  scope                = azurerm_key_vault_secret.this[each.value.secret].resource_versionless_id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.service[each.value.service].principal_id
  principal_type       = "ServicePrincipal"
}
