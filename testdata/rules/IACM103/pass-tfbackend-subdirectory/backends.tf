terraform {
  # Partial configuration: `init -backend-config=envs/<env>.tfbackend`.
  backend "azurerm" {}
}
