provider "registry.opentofu.org/hashicorp/aws" {
  version     = "5.40.0"
  constraints = "~> 5.0"
  hashes = [
    "h1:ffff0000ffff0000ffff0000ffff0000ffff0000ffff=",
  ]
}
