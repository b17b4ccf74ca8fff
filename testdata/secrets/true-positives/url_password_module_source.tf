module "network" {
  source = "git::https://deploy:GuAXAYxVEDGek47ZrV67@git.acme.io/infra/network.git?ref=v2.1.0"
}
