provider "aws" {
  region = var.region
}

resource "aws_db_subnet_group" "main" {
  name       = "platform"
  subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}
