# Plan, approve and apply one workspace; the workspace is chosen by the
# resource below, so the same YAML serves every root.
resource "harness_platform_pipeline" "provision_network" {
  identifier = "provision_network"
  org_id     = var.org_id
  project_id = var.project_id
  name       = "Provision network"

  yaml = <<-EOT
    pipeline:
      name: Provision network
      identifier: provision_network
      projectIdentifier: ${var.project_id}
      orgIdentifier: ${var.org_id}
      tags: {}
      stages:
        - stage:
            name: Provision
            identifier: provision
            type: IACM
            spec:
              workspace: ${harness_platform_workspace.network.identifier}
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
