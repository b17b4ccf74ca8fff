resource "harness_platform_workspace" "database" {
  identifier          = "database"
  name                = "database"
  org_id              = "default"
  project_id          = "platform"
  provisioner_type    = "opentofu"
  provisioner_version = "1.8.8"
  provider_connector  = "account.aws_oidc"
  repository          = "platform-live"
  repository_path     = "infra/database"

  terraform_variable {
    key        = "db_password"
    value      = "password"
    value_type = "string"
  }

  environment_variable {
    key        = "ARM_CLIENT_SECRET"
    value      = "secret"
    value_type = "string"
  }
}
