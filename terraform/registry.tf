# The container registry the chart pulls the four images from (global.imageRegistry = acr_login_server).
# Images are built in the registry itself with `az acr build` (charts/retail-stack/README.md), so no Docker engine is
# needed anywhere. AKS pulls with its kubelet identity (AcrPull): no pull secrets, and the admin user stays off.

resource "azurerm_container_registry" "this" {
  name                = local.names.registry
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  sku                 = var.registry_sku
  admin_enabled       = false

  tags = local.tags
}

resource "azurerm_role_assignment" "aks_pulls_images" {
  scope                            = azurerm_container_registry.this.id
  role_definition_name             = "AcrPull"
  principal_id                     = azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id
  skip_service_principal_aad_check = true
}
