provider "aws" {
  region = "eu-west-1"
}

data "aws_secretsmanager_secret" "container" {
  for_each = var.container_secrets
  name     = each.value
}

resource "aws_ecs_task_definition" "orders" {
  family                   = "orders"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024

  container_definitions = jsonencode([{
    name  = "orders"
    image = var.image
    secrets = [for env, secret in data.aws_secretsmanager_secret.container : {
      name      = env
      valueFrom = secret.arn
    }]
  }])
}
