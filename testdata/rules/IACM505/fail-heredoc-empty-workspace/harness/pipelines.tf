resource "harness_platform_pipeline" "network" {
  identifier = "network_plan"
  org_id     = var.org_id
  project_id = var.project_id
  name       = "network plan"
  yaml       = <<EOT
pipeline:
  name: network plan
  identifier: network_plan
  projectIdentifier: ${var.project_id}
  orgIdentifier: ${var.org_id}
  stages:
    - stage:
        name: plan
        identifier: plan
        type: IACM
        spec:
          workspace: ""
          execution:
            steps:
              - step:
                  type: IACMOpenTofuPlugin
                  name: init
                  identifier: init
                  spec:
                    command: init
              - step:
                  type: IACMOpenTofuPlugin
                  name: plan
                  identifier: plan
                  spec:
                    command: plan
EOT
}
