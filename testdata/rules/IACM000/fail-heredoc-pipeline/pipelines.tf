resource "harness_platform_pipeline" "deploy" {
  identifier = "deploy"
  org_id     = "default"
  project_id = "infra"
  name       = "deploy"
  yaml       = <<-EOT
    pipeline:
      name: deploy
      identifier: deploy
      stages: [
        - stage:
            name: plan
    EOT
}
