variable "container_secrets" {
  description = "Environment variable -> name of the Secrets Manager secret the task reads it from."
  type        = map(string)
  default = {
    DB_PASSWORD       = "prod/orders/db-password"
    STRIPE_SECRET_KEY = "prod/orders/stripe-secret-key"
    GITHUB_TOKEN      = "ci/github-token"
  }
}

variable "image" {
  description = "Container image of the orders service"
  type        = string
  default     = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2"
}
