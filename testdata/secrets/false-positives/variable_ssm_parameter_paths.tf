variable "ssm_github_api_key" {
  type        = string
  description = "SSM path to the GitHub API key"
  default     = "/argocd/github/api_key"
}

variable "github_netrc_ssm_path_token" {
  type    = string
  default = "/github/token"
}

variable "ssm_path_format_api_key" {
  type    = string
  default = "/grafana/%s/api_key"
}
