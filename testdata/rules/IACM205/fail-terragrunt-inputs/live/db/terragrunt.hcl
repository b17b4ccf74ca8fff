include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/db.hcl"
}

terraform {
  extra_arguments "secrets" {
    commands = ["plan", "apply"]
    env_vars = {
      TF_VAR_admin_password = "Qw7nX2pL9vRt"
    }
  }
}
