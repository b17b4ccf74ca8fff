# The plan/apply pipeline for the network root, kept next to its workspace.
resource "harness_platform_pipeline" "network" {
  identifier = "network_plan_apply"
  org_id     = var.org_id
  project_id = var.project_id
  name       = "network plan and apply"

  yaml = <<-EOT
    pipeline:
      name: network plan and apply
      identifier: network_plan_apply
      projectIdentifier: ${var.project_id}
      orgIdentifier: ${var.org_id}
      stages:
        - stage:
            name: provision
            identifier: provision
            type: IACM
            spec:
              workspace: ${var.workspace}
              platform:
                os: Linux
                arch: Amd64
              runtime:
                type: Cloud
                spec: {}
              execution:
                steps:
                  - step:
                      type: IACMOpenTofuPlugin
                      name: init
                      identifier: init
                      timeout: 10m
                      spec:
                        command: init
                  - step:
                      type: IACMOpenTofuPlugin
                      name: plan
                      identifier: plan
                      timeout: 10m
                      spec:
                        command: plan
                  - step:
                      type: IACMApproval
                      name: approve
                      identifier: approve
                      timeout: 1h
                      spec:
                        autoApprove: false
                  - step:
                      type: IACMOpenTofuPlugin
                      name: apply
                      identifier: apply
                      timeout: 30m
                      spec:
                        command: apply
  EOT
}
