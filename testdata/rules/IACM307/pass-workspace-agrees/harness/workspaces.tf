variable "db_workspace" {
  type    = string
  default = "database"
}

resource "harness_platform_workspace" "network" {
  identifier          = "network"
  name                = "network"
  org_id              = "default"
  project_id          = "platform"
  provisioner_type    = "opentofu"
  provisioner_version = "1.8.8"
  provider_connector  = "account.aws_oidc"
  repository          = "platform-live"
  repository_path     = "infra/network"
}

resource "harness_platform_workspace" "database" {
  identifier          = var.db_workspace
  name                = "database"
  org_id              = "default"
  project_id          = "platform"
  provisioner_type    = "terraform"
  provisioner_version = "1.5.7"
  provider_connector  = "account.aws_oidc"
  repository          = "platform-live"
  repository_path     = "infra/database"
}
