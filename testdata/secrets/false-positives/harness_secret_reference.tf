resource "harness_platform_secret_text" "db" {
  identifier                = "db_password"
  name                      = "db_password"
  secret_manager_identifier = "vault"
  value_type                = "Reference"
  value                     = "secret/data/prod/db#password"
}
