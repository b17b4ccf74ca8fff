terraform {
  required_version = ">= 1.6.0"
}

resource "null_resource" "noop" {}
