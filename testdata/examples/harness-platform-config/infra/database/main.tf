provider "aws" {
  region = var.region
}

data "aws_ssm_parameter" "vpc_id" {
  name = "/platform/${var.environment}/vpc_id"
}

resource "aws_db_subnet_group" "main" {
  name       = "platform-${var.environment}"
  subnet_ids = var.subnet_ids
}

resource "aws_db_instance" "main" {
  identifier                  = "platform-${var.environment}"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  username                    = "platform_admin"
  manage_master_user_password = true
  db_subnet_group_name        = aws_db_subnet_group.main.name
  storage_encrypted           = true
  skip_final_snapshot         = false
}
