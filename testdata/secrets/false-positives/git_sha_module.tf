module "vpc" {
  source = "git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git?ref=3f786850e387550fdab836ed7e6dc881de23001b"
  name   = "main"
}
