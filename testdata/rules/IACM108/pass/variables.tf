variable "project_id" {
  description = "GCP project that hosts the network"
  type        = string
  default     = "acme-platform-dev"
}

variable "region" {
  description = "GCP region"
  type        = string
  default     = "europe-west1"
}

variable "environment" {
  description = "Deployment environment name"
  type        = string
  default     = "dev"
}
