provider "aws" {
  region = var.region
}

resource "aws_vpc" "main" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = "platform-${var.environment}"
  }
}

module "subnets" {
  source = "../../modules/subnets"

  vpc_id     = aws_vpc.main.id
  cidr_block = var.cidr_block
  az_count   = 3
}
