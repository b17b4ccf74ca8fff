terraform {
  backend "http" {
    address        = "https://gitlab.acme.io/api/v4/projects/42/terraform/state/prod"
    lock_address   = "https://gitlab.acme.io/api/v4/projects/42/terraform/state/prod/lock"
    unlock_address = "https://gitlab.acme.io/api/v4/projects/42/terraform/state/prod/lock"
    username       = "ci-bot"
    password       = "glpat-UAeSsUfFgUl8oPK_HJN4"
  }
}
