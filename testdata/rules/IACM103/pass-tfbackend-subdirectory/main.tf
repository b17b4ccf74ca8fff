provider "azurerm" {
  features {}
  use_oidc = true
}

resource "azurerm_resource_group" "main" {
  name     = "rg-${var.environment}-app"
  location = var.location
}
