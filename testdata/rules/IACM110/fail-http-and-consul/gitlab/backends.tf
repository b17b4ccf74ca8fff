terraform {
  backend "http" {
    address        = "https://gitlab.example.com/api/v4/projects/42/terraform/state/network"
    unlock_address = "https://gitlab.example.com/api/v4/projects/42/terraform/state/network/lock"
    retry_wait_min = 5
  }
}
