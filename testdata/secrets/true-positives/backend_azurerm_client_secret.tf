terraform {
  backend "azurerm" {
    storage_account_name = "acmetfstate"
    container_name       = "tfstate"
    key                  = "app.tfstate"
    tenant_id            = "e0b6e9ab-a45e-e6eb-c57f-4590641e1f03"
    client_id            = "7860cf29-ae36-563d-8b6d-a25a43a846eb"
    client_secret        = "h1G8Q~g5C6QsyHZytfqY6K1Qjah4dXd_3eOa1"
    subscription_id      = "c00f0e71-a714-a16e-81c1-aad236d31def"
  }
}
