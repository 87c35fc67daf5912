# AKS: OIDC issuer + workload identity (pods get Entra ID tokens for their own managed identity), the Key Vault
# secrets provider add-on (Secrets Store CSI driver), one autoscaled system node pool, and a fixed egress IP that
# the data services' firewalls admit.

# Control plane identity, created before the cluster so it can be given rights on the egress IP first.
resource "azurerm_user_assigned_identity" "aks" {
  name                = local.names.aks_identity
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  tags                = local.tags
}

# All outbound traffic of the cluster leaves through this address: PostgreSQL, Cosmos DB and Redis admit it.
resource "azurerm_public_ip" "aks_egress" {
  name                = local.names.aks_egress_ip
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  allocation_method   = "Static"
  sku                 = "Standard"
  tags                = local.tags
}

# The IP lives outside the node resource group, so the cluster needs the right to attach it to its load balancer.
resource "azurerm_role_assignment" "aks_egress_ip" {
  scope                = azurerm_public_ip.aks_egress.id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_user_assigned_identity.aks.principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_kubernetes_cluster" "this" {
  name                = local.names.aks
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  dns_prefix          = local.names.aks
  kubernetes_version  = var.kubernetes_version
  sku_tier            = var.aks_sku_tier

  automatic_upgrade_channel = "patch"
  node_os_upgrade_channel   = "NodeImage"

  role_based_access_control_enabled = true
  oidc_issuer_enabled               = true
  workload_identity_enabled         = true

  default_node_pool {
    name                        = "system"
    temporary_name_for_rotation = "systemtmp"
    vm_size                     = var.aks_system_node_vm_size
    os_disk_size_gb             = var.aks_system_node_os_disk_size_gb
    auto_scaling_enabled        = true
    min_count                   = var.aks_system_node_min_count
    max_count                   = var.aks_system_node_max_count
    zones                       = length(var.aks_availability_zones) > 0 ? var.aks_availability_zones : null

    upgrade_settings {
      max_surge = "10%"
    }
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.aks.id]
  }

  # Pods mount Key Vault secrets through a SecretProviderClass (the chart's); rotated secrets reach the mounted files
  # (and synced Kubernetes secrets) within the rotation interval.
  key_vault_secrets_provider {
    secret_rotation_enabled  = true
    secret_rotation_interval = "2m"
  }

  # KEDA, for the chart's event-writer.keda (scales the writer on its consumer lag). Its CRDs must exist before a
  # release that renders a ScaledObject, or helm fails the whole install.
  workload_autoscaler_profile {
    keda_enabled = true
  }

  # The application routing add-on (managed ingress-nginx): the ingress class webapprouting.kubernetes.azure.com of
  # the chart's Azure example. No DNS zones: records are managed outside this stack.
  web_app_routing {
    dns_zone_ids = []
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_data_plane  = "cilium"
    network_policy      = "cilium"
    load_balancer_sku   = "standard"
    outbound_type       = "loadBalancer"

    load_balancer_profile {
      outbound_ip_address_ids = [azurerm_public_ip.aks_egress.id]
    }
  }

  tags = local.tags

  lifecycle {
    # The cluster autoscaler owns the node count.
    ignore_changes = [default_node_pool[0].node_count]

    precondition {
      condition     = var.aks_system_node_min_count <= var.aks_system_node_max_count
      error_message = "aks_system_node_min_count must not exceed aks_system_node_max_count."
    }
  }

  depends_on = [azurerm_role_assignment.aks_egress_ip]
}
