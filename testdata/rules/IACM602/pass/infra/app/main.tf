provider "aws" {
  region = var.region
}

resource "aws_ecs_cluster" "app" {
  name = "platform-app"
}
