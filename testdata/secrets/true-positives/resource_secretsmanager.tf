resource "aws_secretsmanager_secret_version" "api" {
  secret_id     = aws_secretsmanager_secret.api.id
  secret_string = "1RmhyLbLuMMAgsNt7lRwSBmys5Yn1OET"
}
