resource "random_password" "db" {
  length           = 24
  special          = true
  override_special = "!#$%&*()-_=+[]{}<>:?"
  min_upper        = 2
}

resource "aws_db_instance" "main" {
  identifier = "main"
  username   = "app"
  password   = random_password.db.result
}
