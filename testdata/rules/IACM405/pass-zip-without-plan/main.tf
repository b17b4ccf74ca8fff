provider "aws" {
  region = var.region
}

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
  tags       = { Name = "network" }
}

resource "aws_lambda_function" "handler" {
  function_name = "network-handler"
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "handler.handler"
  runtime       = "python3.12"
  filename      = "${path.module}/lambda/handler.zip"
}
