module "network" {
  source = "../.."
}
