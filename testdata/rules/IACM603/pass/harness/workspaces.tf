resource "harness_platform_workspace" "network" {
  identifier              = "network"
  name                    = "network"
  org_id                  = var.org_id
  project_id              = var.project_id
  provisioner_type        = "opentofu"
  provisioner_version     = "1.8.8"
  provider_connector      = "account.aws_oidc"
  repository              = "platform-live"
  repository_connector    = "account.github_acme"
  repository_branch       = "main"
  repository_path         = "infra/network"
  cost_estimation_enabled = true

  environment_variable {
    key        = "AWS_REGION"
    value      = "us-east-1"
    value_type = "string"
  }

  environment_variable {
    key        = "ARM_CLIENT_SECRET"
    value      = "account.arm_client_secret"
    value_type = "secret"
  }

  environment_variable {
    key        = "TF_LOG"
    value      = "INFO"
    value_type = "string"
  }

  terraform_variable {
    key        = "db_password"
    value      = var.db_password_secret_ref
    value_type = "secret"
  }

  terraform_variable {
    key        = "api_token"
    value      = "changeme"
    value_type = "string"
  }

  terraform_variable {
    key        = "password_length"
    value      = "32"
    value_type = "string"
  }
}
