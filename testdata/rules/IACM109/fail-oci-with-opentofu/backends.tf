terraform {
  backend "oci" {
    bucket    = "acme-tfstate"
    namespace = "acmecorp"
    key       = "network/terraform.tfstate"
  }
}
