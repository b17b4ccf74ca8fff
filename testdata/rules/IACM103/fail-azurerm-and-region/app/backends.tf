terraform {
  backend "azurerm" {
    resource_group_name  = "tf-state"
    storage_account_name = "tfstateaccount"
    key                  = "app.terraform.tfstate"
  }
}
