resource "harness_platform_workspace" "apps" {
  identifier          = "apps"
  name                = "apps"
  org_id              = "default"
  project_id          = "platform"
  provisioner_type    = "opentofu"
  provisioner_version = "1.8.8"
  provider_connector  = "account.aws_oidc"
  repository          = "platform-live"
  repository_path     = "infra/apps"

  # the identifier of the Harness secret a plugin step writes, not the secret
  environment_variable {
    key        = "GITHUB_APP_SECRET"
    value      = "org_github_app_pem"
    value_type = "string"
  }

  terraform_variable {
    key        = "storage_account_key"
    value      = "diaglogs_region1"
    value_type = "string"
  }
}
