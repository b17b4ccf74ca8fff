# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/hashicorp/aws" {
  version     = "5.40.0"
  constraints = "~> 5.40"
  hashes = [
    "h1:fkwX4nNvcbSa0EwqvlDrFOwQz0A+vwcVdBrvOUqBq8E=",
  ]
}
