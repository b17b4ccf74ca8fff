include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../modules/app"
}

terraform_version_constraint = ">= 1.6.0"
