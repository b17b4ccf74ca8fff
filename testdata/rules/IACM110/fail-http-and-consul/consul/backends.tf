terraform {
  backend "consul" {
    address = "consul.internal.acme.example:8500"
    scheme  = "https"
    path    = "terraform/network"
    lock    = false
  }
}
