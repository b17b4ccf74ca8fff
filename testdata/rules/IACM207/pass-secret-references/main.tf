provider "aws" {
  region = "eu-west-1"
}

# The worker reads its password from SSM at start-up; only the ARN is configured here.
resource "aws_lambda_function" "worker" {
  function_name = "orders-worker"
  role          = "arn:aws:iam::111122223333:role/orders-worker"
  handler       = "main.handler"
  runtime       = "python3.12"
  filename      = "worker.zip"

  environment {
    variables = {
      LOG_LEVEL   = "info"
      DB_PASSWORD = "arn:aws:ssm:eu-west-1:111122223333:parameter/orders/db-password"
      API_KEY     = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders/api-key-Xy12Ab"
    }
  }
}
