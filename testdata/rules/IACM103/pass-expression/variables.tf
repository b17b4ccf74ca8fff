variable "region" {
  description = "AWS region to deploy into"
  type        = string
  default     = "us-east-1"
}

variable "environment" {
  description = "Deployment environment name"
  type        = string
  default     = "dev"
}

variable "cidr_block" {
  description = "CIDR block of the VPC"
  type        = string
  default     = "10.20.0.0/16"
}
