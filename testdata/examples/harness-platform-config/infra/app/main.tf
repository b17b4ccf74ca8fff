provider "aws" {
  region = var.region
}

resource "aws_ecr_repository" "app" {
  name                 = "platform-app"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecs_cluster" "app" {
  name = "platform-${var.environment}"
}
