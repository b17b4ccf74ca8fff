terraform {
  backend "gcs" {
    bucket = "acme-tfstate"
    prefix = "terraform/state"
    impersonate_service_account = "terraform@acme-prod.iam.gserviceaccount.com"
  }
}
