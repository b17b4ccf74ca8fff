module "subnets" {
  source = "../../modules/subnets"

  vpc_id = aws_vpc.main.id
}
