provider "azurerm" {
  features {}
  subscription_id = "705bb7a7-af3d-2e24-25ba-9682170905f4"
  tenant_id       = "ec5a399f-c47f-5edb-ada5-14e287ba0547"
  client_id       = "69ba41cb-b44f-0753-9038-70712d5f63ad"
  client_secret   = "PXO8Q~EGvgUsWlY8A1myEVIR6LFYhOTduCDua"
}
