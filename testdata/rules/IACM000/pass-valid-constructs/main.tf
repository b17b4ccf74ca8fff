terraform {
  required_version = ">= 1.6.0"
  backend "s3" {
    bucket       = "acme-tf-state"
    key          = "network/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}

# the closing markers below end in blanks (two spaces, a tab): Terraform trims the line
resource "aws_iam_policy" "deploy" {
  name   = "deploy"
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": []
}
POLICY  
}

resource "aws_iam_policy" "read" {
  name   = "read"
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": []}
    EOT	
}

locals {
  café    = "x"
  labels  = { café = 1 }
  stripped = "${~ var.name ~}"
  left     = "a ${~var.name}"
  right    = "${var.name~} b"
  retries  = /* the provider's default is 3 */ 5
}

variable "name" {
  type = string
}
