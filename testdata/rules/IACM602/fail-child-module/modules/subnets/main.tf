variable "vpc_id" {
  type = string
}

resource "aws_subnet" "private" {
  vpc_id     = var.vpc_id
  cidr_block = "10.20.1.0/24"
}
