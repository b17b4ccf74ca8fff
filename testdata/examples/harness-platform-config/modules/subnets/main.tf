variable "vpc_id" {
  type = string
}

variable "cidr_block" {
  type = string
}

variable "az_count" {
  type = number
}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_subnet" "private" {
  count             = var.az_count
  vpc_id            = var.vpc_id
  cidr_block        = cidrsubnet(var.cidr_block, 4, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}
