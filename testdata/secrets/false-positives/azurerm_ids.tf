provider "azurerm" {
  features {}
  subscription_id = "a84bba07-931d-b925-306a-0799dc6ebd71"
  tenant_id       = "8b8c764d-1c0a-cb3d-ea13-519a60a077bb"
  client_id       = "d142880e-8427-abee-c129-75fd55911ea2"
  use_oidc        = true
}
