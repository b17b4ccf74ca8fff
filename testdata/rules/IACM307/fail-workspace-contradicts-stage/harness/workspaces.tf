variable "db_workspace" {
  type    = string
  default = "database"
}

resource "harness_platform_workspace" "network" {
  identifier          = "network"
  name                = "network"
  org_id              = "default"
  project_id          = "platform"
  provisioner_type    = "terraform"
  provisioner_version = "1.5.7"
  provider_connector  = "account.aws_oidc"
  repository          = "platform-live"
  repository_path     = "infra/network"
}

resource "harness_platform_workspace" "database" {
  identifier          = var.db_workspace
  name                = "database"
  org_id              = "default"
  project_id          = "platform"
  provisioner_type    = "opentofu"
  provisioner_version = "1.8.8"
  provider_connector  = "account.aws_oidc"
  repository          = "platform-live"
  repository_path     = "infra/database"
}

resource "harness_platform_pipeline" "database" {
  identifier = "database"
  name       = "database"
  org_id     = "default"
  project_id = "platform"
  yaml       = <<-EOT
    pipeline:
      name: database
      identifier: database
      stages:
        - stage:
            name: provision
            identifier: provision
            type: IACM
            spec:
              workspace: ${var.db_workspace}
              execution:
                steps:
                  - step: {type: IACMTerraformPlugin, name: init, identifier: init, spec: {command: init}}
                  - step: {type: IACMTerraformPlugin, name: plan, identifier: plan, spec: {command: plan}}
  EOT
}
