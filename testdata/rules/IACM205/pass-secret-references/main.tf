provider "azurerm" {
  features {}
}

variable "app_settings" {
  description = "App settings; secrets are Key Vault references resolved by App Service."
  type        = map(string)
  default     = {}
}

variable "db_admin_password" {
  description = "Decrypted by sops before plan."
  type        = string
  sensitive   = true
}

resource "azurerm_linux_web_app" "api" {
  name                = "app-api-prod"
  resource_group_name = "rg-api-prod"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/3f2c5b1e-8d4a-4c6b-9e2f-1a7d3c5e9b04/resourceGroups/rg-api-prod/providers/Microsoft.Web/serverFarms/asp-api-prod"
  app_settings        = var.app_settings

  identity {
    type = "SystemAssigned"
  }

  site_config {}
}
