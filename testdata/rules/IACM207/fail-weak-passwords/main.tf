resource "aws_db_instance" "orders" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t3.micro"
  username       = "orders"
  password       = "password"
}

resource "harness_platform_secret_text" "db" {
  identifier                = "db"
  name                      = "db"
  secret_manager_identifier = "harnessSecretManager"
  value_type                = "Inline"
  value                     = "secret"
}

resource "azuread_application_password" "ci" {
  application_id = "/applications/00000000-0000-0000-0000-000000000000"
  client_secret  = "test"
}
