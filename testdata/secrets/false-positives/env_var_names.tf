resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = aws_iam_role.worker.arn
  handler       = "main.handler"
  runtime       = "python3.12"
  environment {
    variables = {
      DB_PASSWORD_SECRET_ARN = aws_secretsmanager_secret.db.arn
      TOKEN_PARAMETER_NAME   = "/prod/worker/token"
      PASSWORD_MIN_LENGTH    = "12"
    }
  }
}
