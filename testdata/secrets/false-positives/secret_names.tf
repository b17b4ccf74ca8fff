resource "aws_secretsmanager_secret" "db" {
  name                    = "prod/db/password"
  recovery_window_in_days = 7
}

resource "aws_db_instance" "main" {
  identifier = "main"
  master_user_secret_kms_key_id = aws_kms_key.rds.arn
}

data "aws_secretsmanager_secret_version" "db" {
  secret_id = "prod/db/password"
}
