provider "aws" {
  region = "us-east-1"
}

variable "db_password" {
  description = "Master password of the orders database"
  type        = string
  default     = "Wq7#pLz2!vR9kT4m"
}

resource "aws_db_instance" "orders" {
  identifier          = "retail-orders"
  engine              = "postgres"
  instance_class      = "db.t3.medium"
  allocated_storage   = 50
  username            = "orders"
  password            = var.db_password
  skip_final_snapshot = false
}
