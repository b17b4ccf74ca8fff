terraform {
  backend "azurerm" {
    resource_group_name  = "rg-tfstate"
    storage_account_name = "acmetfstate"
    container_name       = "tfstate"
    key                  = "prod.terraform.tfstate"
    access_key           = "6tNKSCp3iNR7dpTSyetbUteNo7OcTwLSpZEeEt3vACvWAbH9jGuuAu/67NfsTf9nnS3+iEW0TBcqB7Ef2HMMEw=="
  }
}
