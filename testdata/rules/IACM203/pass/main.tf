locals {
  # example key from the AWS docs: AKIAIOSFODNN7EXAMPLE
  registry = "https://registry.acme.io/v2"
  db_url   = "postgres://${var.db_user}:${var.db_password}@db.internal:5432/app"
}
