terraform {
  backend "s3" {
    bucket         = "acme-tfstate"
    key            = "network/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "tf-locks"
    encrypt        = true
    access_key     = "AKIAVQJXXVBOTHD0WTFL"
    secret_key     = "pdzPaEMM1ZA7V0FhHVJWDBt2hWdQZUm14QhoxhLP"
  }
}
