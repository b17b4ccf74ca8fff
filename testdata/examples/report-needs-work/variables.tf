variable "region" {
  description = "AWS region"
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Environment name"
  type        = string
  default     = "staging"
}

variable "cidr_block" {
  description = "CIDR block of the payments VPC"
  type        = string
  default     = "10.60.0.0/16"
}
