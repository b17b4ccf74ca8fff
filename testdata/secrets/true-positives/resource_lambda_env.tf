resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = aws_iam_role.worker.arn
  handler       = "main.handler"
  runtime       = "python3.12"
  filename      = "worker.zip"
  environment {
    variables = {
      LOG_LEVEL   = "info"
      DB_PASSWORD = "h2CDT3-1hLGrV!"
    }
  }
}
