terraform {
  backend "gsc" {
    bucket = "acme-platform-tfstate"
    prefix = "network/dev"
  }
}
