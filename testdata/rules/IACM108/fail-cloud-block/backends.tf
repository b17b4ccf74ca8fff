terraform {
  cloud {
    organization = "acme"

    workspaces {
      tags = ["network", "aws"]
    }
  }
}
