terraform {
  backend "azurerm" {
    storage_account_name = "acmetfstate"
    container_name       = "tfstate"
    key                  = "app.tfstate"
    sas_token            = "?sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2026-01-01T00:00:00Z&sig=2wioVMEuUYMjPeFXsRgZzCYTHY2IvGYF0eYF2ExFJgK%3D"
  }
}
