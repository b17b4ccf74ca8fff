# Only azurerm is in use (a provider block, no required_providers entry):
# the suggestion is the azurerm backend, not s3.
provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "main" {
  name     = "rg-network"
  location = "westeurope"
}
