provider "registry.opentofu.org/harness/harness" {
  version     = "0.41.4"
  constraints = "~> 0.41"
  hashes = [
    "h1:ffff0000ffff0000ffff0000ffff0000ffff0000ffff=",
  ]
}
