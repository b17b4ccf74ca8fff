terraform {
  backend "kubernetes" {
    secret_suffix    = "network"
    namespace        = "terraform-state"
    load_config_file = true
  }
}
