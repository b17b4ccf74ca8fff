locals {
  database_url = "postgres://${var.db_user}:${var.db_password}@${aws_db_instance.main.address}:5432/app"
  registry     = "https://registry.terraform.io/v1/providers"
}
