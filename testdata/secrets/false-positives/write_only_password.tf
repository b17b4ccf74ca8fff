resource "aws_db_instance" "main" {
  identifier          = "main"
  password_wo         = ephemeral.random_password.db.result
  password_wo_version = 1
}
