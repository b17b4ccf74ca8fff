terraform {
  backend "s3" {
    bucket     = "retail-app-tfstate"
    key        = "app/prod/terraform.tfstate"
    region     = "us-east-1"
    encrypt    = true
    access_key = "AKIAZ7QH3KX2M4PLNW5R"
    secret_key = "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"
  }
}
