resource "azurerm_linux_virtual_machine" "app" {
  name                            = "app-01"
  resource_group_name             = "rg-app"
  location                        = "westeurope"
  size                            = "Standard_B2s"
  admin_username                  = "azureuser"
  admin_password                  = "tR7LOy-UvjO9C!"
  disable_password_authentication = false
}

resource "aws_ssm_parameter" "token" {
  name  = "/prod/token"
  type  = "SecureString"
  value = "x7rBYXKpTLxSJ8DN3PUajkbpTVAxCQ4g"
}

resource "kubernetes_secret" "db" {
  metadata {
    name = "db"
  }
  data = {
    username = "app"
    password = "aw6SUa-mxQpBu!"
  }
}

resource "aws_mq_broker" "events" {
  broker_name = "events"
  user {
    username = "events"
    password = "mi2Ye9-xTbM6N!"
  }
}
