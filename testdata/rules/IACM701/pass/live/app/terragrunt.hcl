include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "${get_repo_root()}/modules/app"
}

dependency "network" {
  config_path = "../network"
}

dependency "vpc" {
  config_path = "../vpc"
  mock_outputs = {
    vpc_id = "vpc-00000000"
  }
}

inputs = {
  policy     = file("policy.json")
  network_id = dependency.network.outputs.id
  vpc_id     = dependency.vpc.outputs.vpc_id
  home       = file(get_env("POLICY_FILE"))
}
