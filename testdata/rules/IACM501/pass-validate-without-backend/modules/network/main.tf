variable "cidr_block" {
  description = "CIDR block of the VPC"
  type        = string
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_hostnames = true
}

output "vpc_id" {
  value = aws_vpc.this.id
}
