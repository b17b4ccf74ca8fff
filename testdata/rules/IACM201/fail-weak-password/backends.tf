terraform {
  required_version = ">= 1.6.0"

  backend "http" {
    address        = "https://state.internal/network"
    lock_address   = "https://state.internal/network/lock"
    unlock_address = "https://state.internal/network/lock"
    username       = "terraform"
    password       = "secret"
  }
}
