resource "aws_db_instance" "orders" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t3.micro"
  username       = "orders"
  password       = "password"
}
