terraform {
  cloud {
    organization = "acme"

    workspaces {
      name = "network-dev"
    }
  }
}
