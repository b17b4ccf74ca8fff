resource "harness_platform_secret_text" "db" {
  identifier                = "db"
  name                      = "db"
  secret_manager_identifier = "harnessSecretManager"
  value_type                = "Inline"
  value                     = "secret"
}
