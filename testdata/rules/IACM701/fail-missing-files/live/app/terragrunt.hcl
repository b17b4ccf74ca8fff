include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "common" {
  path = "../../_envcommon/app.hcl"
}

terraform {
  source = "../../modules/app"
}

inputs = {
  policy = file("policy.json")
}
