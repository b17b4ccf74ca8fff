terraform {
  backend "consul" {
    address      = "consul.acme.internal:8500"
    scheme       = "https"
    path         = "terraform/app"
    access_token = "34b65ab3-adf3-2b1c-c8fa-650bdf6593d1"
  }
}
