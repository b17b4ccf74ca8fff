resource "harness_platform_workspace" "apps" {
  identifier          = "apps"
  name                = "apps"
  org_id              = "default"
  project_id          = "platform"
  provisioner_type    = "opentofu"
  provisioner_version = "1.8.8"
  repository          = "platform-live"
  repository_path     = "infra/apps"

  environment_variable {
    key        = "GITHUB_APP_SECRET"
    value      = "org_github_app_pem"
    value_type = "string"
  }
}
