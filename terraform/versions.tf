# Terraform and provider versions. azurerm 4.42 is the first release with `rbac_authorization_enabled` on
# azurerm_key_vault; 5.x is excluded until this configuration has been checked against its upgrade guide.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.42.0, < 5.0.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # State holds generated secrets (the PostgreSQL password, access keys): keep it in a remote backend with restricted
  # access, e.g. an azurerm backend configured at `terraform init -backend-config=...` (see README.md).
}

provider "azurerm" {
  # null: taken from ARM_SUBSCRIPTION_ID (azurerm 4.x requires one or the other).
  subscription_id = var.subscription_id

  features {
    key_vault {
      # A destroyed vault stays soft-deleted (and recoverable) instead of being purged.
      purge_soft_delete_on_destroy    = false
      recover_soft_deleted_key_vaults = true
    }
    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}
