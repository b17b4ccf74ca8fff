terraform {
  backend "azure" {
    storage_account_name = "tfstateaccount"
    container_name       = "tfstate"
    key                  = "app.terraform.tfstate"
  }
}
