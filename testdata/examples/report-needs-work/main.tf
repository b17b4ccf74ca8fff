provider "aws" {
  region = var.region
}

module "network" {
  source = "./modules/network"

  name       = "payments-${var.environment}"
  cidr_block = var.cidr_block
}

resource "aws_security_group" "api" {
  name   = "payments-api-${var.environment}"
  vpc_id = module.network.vpc_id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.cidr_block]
  }
}
