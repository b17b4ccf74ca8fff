provider "aws" {
  region = var.region
}

resource "aws_route53_zone" "internal" {
  name = "acme.internal"
}
