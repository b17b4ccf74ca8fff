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
    key        = "ARM_CLIENT_SECRET"
    value      = "secret"
    value_type = "string"
  }
}
